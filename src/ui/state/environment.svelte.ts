import type { EnvironmentSpec } from '../../lib/setup/environments.ts';
import { filesPackSource, httpPackSource, taskOf, type PackSource, type TauPack } from '../../lib/envs/tau-bench/pack.ts';
import { cachedTauPack, PackCache } from '../../lib/envs/tau-bench/pack-cache.ts';
import { type TaskSplit, type TauDomain } from '../../lib/envs/environment.ts';
import { episodeEnvironment } from '../../lib/envs/bench-environment.ts';
import type { Actor } from '../../lib/actor/types.ts';
import type { Env, UserSide } from '../../lib/envs/types.ts';
import type { EpisodeMeta } from '../../lib/loop/events.ts';
import { appUrl } from '../app-url.ts';
import type { TimelineEntry } from '../../lib/loop/events.ts';
import { UserBenchChoice, USERBENCH_MAX_TURNS } from './userbench.svelte.ts';
import type { UserBenchPacks } from './userbench-packs.svelte.ts';

type EnvKind = 'policy-chat' | 'tau-bench' | 'userbench';

export interface BuiltEnv {
  env: Env;
  /** A simulated user, or undefined when the person takes the user's seat. */
  user: UserSide | undefined;
  meta: Pick<EpisodeMeta, 'environment'> & Partial<Pick<EpisodeMeta, 'taskIndex' | 'taskSplit'>>;
  maxSteps: number;
}

/** Which world the chat tab runs in: a user-written policy, or a tau-bench or UserBench task (person or simulated user). */
export class EnvironmentChoice {
  kind = $state<EnvKind>('policy-chat');
  readonly userBench: UserBenchChoice;
  domain = $state<TauDomain>('retail');
  taskIndex = $state(0);
  seat = $state<'human' | 'simulated'>('human');
  packUrl = $state(appUrl('tau-bench/'));
  /** A pack folder the person opened; takes precedence over the URL while set. */
  folder = $state.raw<File[] | undefined>(undefined);
  /** Bumped on every folder pick: the same folder picked again may hold edited files. */
  #folderPick = 0;
  /** The task's instruction, shown to a person playing the user. */
  instruction = $state<string | undefined>(undefined);
  taskCount = $state<number | undefined>(undefined);
  /** `tauPacks`: the app's one cache of loaded tau-bench packs, shared with the Data tab. */
  constructor(
    userBenchPacks: UserBenchPacks,
    private readonly fetchPack: typeof fetch = (...a) => fetch(...a),
    private readonly tauPacks: PackCache<TauPack> = new PackCache(),
  ) {
    this.userBench = new UserBenchChoice(userBenchPacks);
  }

  /** One domain and split of the picked pack (the opened folder, else the URL), loaded once and validated. */
  tauPack(domain: TauDomain, split: TaskSplit): Promise<TauPack> {
    const folder = this.folder;
    const sourceKey = folder ? `folder#${this.#folderPick}` : this.packUrl;
    const source = (): PackSource =>
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off URL resolution, not state
      folder ? filesPackSource(folder) : httpPackSource(new URL(this.packUrl, globalThis.location?.href).href, this.fetchPack);
    return cachedTauPack(this.tauPacks, sourceKey, source, domain, split);
  }

  /** The chat's task pack: the picked domain's test tasks. */
  pack(): Promise<TauPack> {
    return this.tauPack(this.domain, 'test');
  }

  /** Picks the environment and task a stored episode ran in, with a person in the user's seat (resuming it). */
  restore(meta: Pick<EpisodeMeta, 'environment' | 'taskIndex' | 'taskSplit'>): void {
    const e = meta.environment;
    this.kind = e.family;
    if (e.family === 'policy-chat') return;
    this.seat = 'human';
    if (e.family === 'tau-bench') {
      this.domain = e.domain;
      this.taskIndex = meta.taskIndex ?? 0;
      return;
    }
    this.userBench.env = e.domain;
    this.userBench.oneChoice = e.oneChoice === true;
    this.userBench.samples = meta.taskSplit === 'samples';
    this.userBench.taskIndex = meta.taskIndex ?? 0;
  }

  openFolder(files: File[] | undefined): void {
    this.#folderPick++;
    this.folder = files;
  }

  async refreshTask(): Promise<void> {
    if (this.kind === 'userbench') return this.userBench.refreshTask(this.folder);
    if (this.kind !== 'tau-bench') return;
    const picked = [this.folder, this.packUrl, this.domain, this.taskIndex];
    const pack = await this.pack();
    // A slower load of an earlier pick must not overwrite what a newer pick shows.
    if ([this.folder, this.packUrl, this.domain, this.taskIndex].some((v, i) => v !== picked[i])) return;
    this.taskCount = pack.domains[this.domain]?.tasks.test?.length;
    this.instruction = taskOf(pack, this.domain, this.taskIndex).instruction;
  }

  /** `resume`: a stored episode's timeline, for environments that rebuild their state from it (UserBench). */
  async build(policy: string, userModel: () => Actor, resume?: readonly TimelineEntry[]): Promise<BuiltEnv> {
    const ub = this.userBench;
    const environment: EnvironmentSpec =
      this.kind === 'policy-chat' ? { family: 'policy-chat', policy } : this.kind === 'tau-bench' ? { family: 'tau-bench', domain: this.domain } : ub.environment;
    // tau-bench's agent: 30 actions at most; UserBench: eval.sh's --max_turns.
    const maxSteps = environment.family === 'userbench' ? USERBENCH_MAX_TURNS : 30;
    const seatFor = environment.family === 'userbench' ? ub.openSeat(this.seat) : undefined;
    // The environments' code (tau-bench's tools and Python semantics, TravelGym) loads with the first episode, not with the page.
    const { buildEnvironment } = await import('../../lib/setup/environments.ts');
    const { env, user } = await buildEnvironment(
      {
        environment,
        split: 'test',
        taskIndex: environment.family === 'userbench' ? ub.taskIndex : this.taskIndex,
        maxSteps,
        userModel,
        seat: this.seat,
        ...(environment.family === 'userbench' && seatFor ? { humanSeat: seatFor } : {}),
        ...(resume ? { resume } : {}),
      },
      { tauBench: (domain, split) => this.tauPack(domain, split), userBench: () => ub.pack(this.folder) },
    );
    switch (environment.family) {
      case 'policy-chat':
        return { env, user, meta: { environment: { family: 'policy-chat' } }, maxSteps };
      case 'tau-bench':
        return { env, user, meta: { environment, taskIndex: this.taskIndex, taskSplit: 'test' }, maxSteps };
      case 'userbench':
        return { env, user, meta: { environment: episodeEnvironment(environment), taskIndex: ub.taskIndex, taskSplit: ub.samples ? 'samples' : 'test' }, maxSteps };
    }
  }
}
