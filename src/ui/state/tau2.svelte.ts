import { TAU2_SPLITS, type Tau2Domain, type Tau2Split } from '../../lib/envs/environment.ts';
import { PackCache } from '../../lib/envs/tau-bench/pack-cache.ts';
import { filesPackSource, httpPackSource, type PackSource } from '../../lib/envs/tau-bench/pack.ts';
import type { Tau2LoadProgress, Tau2Pack } from '../../lib/envs/tau2/pack.ts';

// The τ³ port (every domain's tools and models) loads with the first τ³ pick, not with the page.
const port = () => import('../../lib/envs/tau2/pack.ts');
import type { Tau2HumanSeat } from '../../lib/envs/tau2/human-seat.ts';
import { appUrl } from '../app-url.ts';

/** Where τ³-bench's data comes from: this app's server (dev, tests), or the upstream repository (cached for offline use). */
export type Tau2SourceKind = 'app' | 'upstream';

/**
 * The Chat tab's τ³-bench task: the domain, split and task, where the data
 * is read from (a folder the person opened wins), the load's byte progress,
 * and what a person in the user's seat is told.
 */
export class Tau2Choice {
  domain = $state<Tau2Domain>('retail');
  split = $state<Tau2Split>('test');
  taskIndex = $state(0);
  source = $state<Tau2SourceKind>('app');
  /** The served folder's URL (source 'app'). */
  url = $state(appUrl('tau2-bench/'));
  taskCount = $state<number | undefined>(undefined);
  /** The splits the loaded domain has. */
  splits = $state.raw<readonly Tau2Split[]>(TAU2_SPLITS);
  /** The task's scenario as the simulated user is told it, for a person in the user's seat. */
  instructions = $state<string | undefined>(undefined);
  /** Byte progress of the load under way; undefined when none is. */
  progress = $state.raw<Tau2LoadProgress | undefined>(undefined);
  /** The person's seat in the episode under way (their tools, for telecom), if they hold it. */
  seat = $state.raw<Tau2HumanSeat | undefined>(undefined);
  // A private load cache, not rendered state.
  readonly #packs = new PackCache<Tau2Pack>();

  constructor(private readonly fetchPack: typeof fetch = (...a) => fetch(...a)) {}

  async #source(folder: File[] | undefined): Promise<PackSource> {
    if (folder) return filesPackSource(folder);
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off URL resolution, not state
    if (this.source === 'app') return httpPackSource(new URL(this.url, globalThis.location?.href).href, this.fetchPack);
    return (await port()).cachedUpstreamTau2Source(this.fetchPack);
  }

  /** One domain from the folder (`folderKey` tells picks apart), the served pack or upstream, loaded once and validated. */
  pack(domain: Tau2Domain, folder: File[] | undefined, folderKey = 0): Promise<Tau2Pack> {
    const key = JSON.stringify([folder ? `folder#${folderKey}` : this.source === 'app' ? this.url : 'upstream', domain]);
    const upstream = !folder && this.source === 'upstream';
    return this.#packs.get(key, async () => {
      try {
        const source = await this.#source(folder);
        return await (await port()).loadTau2Pack(source, domain, { onProgress: (p) => (this.progress = p), upstream });
      } finally {
        this.progress = undefined;
      }
    });
  }

  async refreshTask(folder: File[] | undefined, folderKey: number): Promise<void> {
    const picked = [folder, this.source, this.url, this.domain, this.split, this.taskIndex];
    const pack = await this.pack(this.domain, folder, folderKey);
    // A slower load of an earlier pick must not overwrite what a newer pick shows.
    if ([folder, this.source, this.url, this.domain, this.split, this.taskIndex].some((v, i) => v !== picked[i])) return;
    this.splits = TAU2_SPLITS.filter((s) => s in pack.splits);
    // A split the new domain lacks (telecom's 'small' after switching to retail): its test split instead.
    if (!this.splits.includes(this.split)) this.split = 'test';
    const { splitTasks, tau2TaskOf } = await port();
    this.taskCount = splitTasks(pack, this.split).length;
    this.instructions = tau2TaskOf(pack, this.split, this.taskIndex).userInstructions ?? undefined;
  }
}
