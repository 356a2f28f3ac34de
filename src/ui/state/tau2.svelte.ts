import { TAU2_SPLITS, type Tau2Domain, type Tau2Split } from '../../lib/envs/environment.ts';
import { PackCache } from '../../lib/envs/tau-bench/pack-cache.ts';
import type { Tau2LoadProgress, Tau2Pack } from '../../lib/envs/tau2/pack.ts';
import type { Tau2PackLocation } from '../../lib/envs/tau2/pack-worker-protocol.ts';
import type { Tau2PackWorkerClient } from '../../lib/envs/tau2/pack-worker-client.ts';
import type { WorkerEndpoint } from '../../lib/worker-link.ts';
import { EngineError } from '../../lib/errors.ts';
import type { DataSource } from '../../lib/loop/events.ts';

// The τ³ port (every domain's tools and models) loads with the first τ³ pick, not with the page.
const port = () => import('../../lib/envs/tau2/pack.ts');
import type { Tau2HumanSeat } from '../../lib/envs/tau2/human-seat.ts';
import { appUrl } from '../app-url.ts';

const tau2Worker = (): WorkerEndpoint => new Worker(new URL('../../workers/tau2.worker.ts', import.meta.url), { type: 'module' });

/**
 * τ³ packs, loaded in the pack worker (fetch, parse and validation off the
 * page's thread; airline's db.json is 7 MB) for the Chat and Benchmark tabs
 * and the Benchmark tab's export: one worker for the page, started with the
 * first load and a fresh one if it died; each source's domain loaded once (a
 * failed load is forgotten). `progress` is the latest load's, while any runs.
 */
export class Tau2Packs {
  progress = $state.raw<Tau2LoadProgress | undefined>(undefined);
  #client: Tau2PackWorkerClient | undefined;
  #starting: Promise<Tau2PackWorkerClient> | undefined;
  #running = 0;
  readonly #packs = new PackCache<Tau2Pack>();
  readonly #folders = new WeakMap<File[], number>();
  #folderCount = 0;

  /** `endpoint`: the worker (tests: the handler over a MessageChannel). */
  constructor(private readonly endpoint: () => WorkerEndpoint = tau2Worker) {}

  /** `domain` from `location`, loaded once per source (`pick` tells apart picks of the same folder, which may hold edited files). */
  pack(location: Tau2PackLocation, domain: Tau2Domain, pick = 0): Promise<Tau2Pack> {
    return this.#packs.get(JSON.stringify([this.#sourceKey(location, pick), domain]), () => this.#load(location, domain));
  }

  /** A run's pack loader for `location`. */
  loaderAt(location: Tau2PackLocation): (domain: Tau2Domain) => Promise<Tau2Pack> {
    return (domain) => this.pack(location, domain);
  }

  #sourceKey(location: Tau2PackLocation, pick: number): string {
    if (location.kind !== 'files') return location.kind === 'url' ? location.baseUrl : 'upstream';
    let id = this.#folders.get(location.files);
    if (id === undefined) this.#folders.set(location.files, (id = ++this.#folderCount));
    return `folder#${id}#${pick}`;
  }

  async #load(location: Tau2PackLocation, domain: Tau2Domain): Promise<Tau2Pack> {
    this.#running++;
    try {
      const client = await this.#worker();
      return await client.load(location, domain, (p) => (this.progress = p));
    } finally {
      if (--this.#running === 0) this.progress = undefined;
    }
  }

  /** The running worker, or a fresh one (the first load, or the last one died). */
  #worker(): Promise<Tau2PackWorkerClient> {
    if (this.#client && !this.#client.dead) return Promise.resolve(this.#client);
    this.#starting ??= this.#start().finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  async #start(): Promise<Tau2PackWorkerClient> {
    // The worker fetches its code while the page imports the client (and with it the port the environments run on).
    const endpoint = this.endpoint();
    let crashed = false;
    endpoint.addEventListener('error', () => (crashed = true));
    const { Tau2PackWorkerClient } = await import('../../lib/envs/tau2/pack-worker-client.ts');
    const client = new Tau2PackWorkerClient(endpoint);
    // An error before the client listened (its script failed to load) must not leave a load waiting forever.
    if (crashed) {
      client.dispose();
      throw new EngineError('worker-died', 'The τ³ pack worker crashed while starting');
    }
    return (this.#client = client);
  }
}

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
  /** The person's seat in the episode under way (their tools, for telecom), if they hold it. */
  seat = $state.raw<Tau2HumanSeat | undefined>(undefined);

  constructor(readonly packs: Tau2Packs = new Tau2Packs()) {}

  /** Byte progress of the load under way; undefined when none is. */
  get progress(): Tau2LoadProgress | undefined {
    return this.packs.progress;
  }

  #location(folder: File[] | undefined, source: Tau2SourceKind = this.source): Tau2PackLocation {
    if (folder) return { kind: 'files', files: folder };
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off URL resolution, not state
    if (source === 'app') return { kind: 'url', baseUrl: new URL(this.url, globalThis.location?.href).href };
    return { kind: 'upstream' };
  }

  /**
   * One domain from where a stored episode read it (`meta.dataSource`; absent: this tab's source, as
   * before it was kept). A folder cannot be read again (a reload forgets it): that throws, saying so.
   */
  packFrom(domain: Tau2Domain, dataSource: DataSource | undefined): Promise<Tau2Pack> {
    if (dataSource === 'folder') {
      return Promise.reject(new Error('these episodes read τ³-bench\'s data from a folder you opened, which cannot be read again here, so they have no gold actions'));
    }
    return this.packs.pack(this.#location(undefined, dataSource ?? this.source), domain);
  }

  /** One domain from the folder (`folderKey` tells picks apart), the served pack or upstream, loaded once in the pack worker. */
  pack(domain: Tau2Domain, folder: File[] | undefined, folderKey = 0): Promise<Tau2Pack> {
    return this.packs.pack(this.#location(folder), domain, folderKey);
  }

  async refreshTask(folder: File[] | undefined, folderKey: number): Promise<void> {
    const picked = [folder, this.source, this.url, this.domain, this.split, this.taskIndex];
    const pack = await this.pack(this.domain, folder, folderKey);
    // A slower load of an earlier pick must not overwrite what a newer pick shows.
    if ([folder, this.source, this.url, this.domain, this.split, this.taskIndex].some((v, i) => v !== picked[i])) return;
    const { splitTasks, tau2TaskOf, wholeSplits } = await port();
    // Only splits the data holds whole (telecom's `full` needs upstream's tasks.json).
    this.splits = wholeSplits(pack);
    // A split the new domain or data lacks (telecom's 'small' after switching to retail): its test split instead.
    if (!this.splits.includes(this.split)) this.split = 'test';
    this.taskCount = splitTasks(pack, this.split).length;
    this.instructions = tau2TaskOf(pack, this.split, this.taskIndex).userInstructions ?? undefined;
  }
}
