import type { EnvironmentSpec } from '../../lib/setup/environments.ts';
import { filesPackSource, httpPackSource, taskOf, type PackSource, type TauPack } from '../../lib/envs/tau-bench/pack.ts';
import { cachedTauPack, PackCache } from '../../lib/envs/tau-bench/pack-cache.ts';
import { TAU2_SPLITS, type TaskSplit, type TauDomain } from '../../lib/envs/environment.ts';
import { Tau2Choice, Tau2Packs } from './tau2.svelte.ts';
import { episodeEnvironment } from '../../lib/envs/bench-environment.ts';
import type { Actor } from '../../lib/actor/actor-interface.ts';
import type { Env, UserSide } from '../../lib/envs/env-interface.ts';
import { Tau2HumanSeat } from '../../lib/envs/tau2/human-seat.ts';
import type { EpisodeMeta } from '../../lib/loop/events.ts';
import { appUrl } from '../app-url.ts';
import type { TimelineEntry } from '../../lib/loop/events.ts';
import { UserBenchChoice, USERBENCH_MAX_TURNS } from './userbench.svelte.ts';
import type { UserBenchPacks } from './userbench-packs.svelte.ts';

type EnvKind = 'policy-chat' | 'tau-bench' | 'tau2' | 'userbench';

export interface BuiltEnv {
  env: Env;
  /** A simulated user, or undefined when the person takes the user's seat. */
  user: UserSide | undefined;
  meta: Pick<EpisodeMeta, 'environment'> & Partial<Pick<EpisodeMeta, 'taskIndex' | 'taskSplit' | 'dataSource'>>;
  maxSteps: number;
  /** With a person as the user: the environment's seat around them (τ³). */
  seat?: (person: UserSide) => UserSide;
}

/** Which world the chat tab runs in: a user-written policy, or a tau-bench or UserBench task (person or simulated user). */
export class EnvironmentChoice {
  kind = $state<EnvKind>('policy-chat');
  readonly userBench: UserBenchChoice;
  domain = $state<TauDomain>('retail');
  readonly tau2: Tau2Choice;
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
    tau2Packs: Tau2Packs = new Tau2Packs(),
  ) {
    this.userBench = new UserBenchChoice(userBenchPacks);
    this.tau2 = new Tau2Choice(tau2Packs);
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

  /**
   * Picks the environment and task a stored episode ran in, with a person in
   * the user's seat (resuming it). τ³ reads the same data source; one that was
   * a folder must be opened again (a reload forgets it): until then this
   * throws, saying so, and the episode stays interrupted.
   */
  restore(meta: Pick<EpisodeMeta, 'environment' | 'taskIndex' | 'taskSplit' | 'dataSource'>): void {
    const e = meta.environment;
    this.kind = e.family;
    if (e.family === 'policy-chat') return;
    this.seat = 'human';
    if (e.family === 'tau-bench') {
      this.domain = e.domain;
      this.taskIndex = meta.taskIndex ?? 0;
      return;
    }
    if (e.family === 'tau2') {
      this.tau2.domain = e.domain;
      const split = TAU2_SPLITS.find((s) => s === meta.taskSplit);
      if (split) this.tau2.split = split;
      this.tau2.taskIndex = meta.taskIndex ?? 0;
      const from = meta.dataSource;
      if (from === 'folder' && !this.folder) {
        throw new Error('This episode read τ³-bench\'s data from a folder you opened. Open that folder again (…or a folder), then Resume: the episode stays interrupted until then.');
      }
      if (from === 'app' || from === 'upstream') {
        this.tau2.source = from;
        if (this.folder) this.openFolder(undefined);
      }
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
    if (this.kind === 'tau2') return this.tau2.refreshTask(this.folder, this.#folderPick);
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
      this.kind === 'policy-chat'
        ? { family: 'policy-chat', policy }
        : this.kind === 'tau-bench'
          ? { family: 'tau-bench', domain: this.domain }
          : this.kind === 'tau2'
            ? { family: 'tau2', domain: this.tau2.domain }
            : ub.environment;
    const split = environment.family === 'tau2' ? this.tau2.split : 'test';
    const taskIndex = environment.family === 'userbench' ? ub.taskIndex : environment.family === 'tau2' ? this.tau2.taskIndex : this.taskIndex;
    // tau-bench's agent: 30 actions at most; UserBench: eval.sh's --max_turns.
    const maxSteps = environment.family === 'userbench' ? USERBENCH_MAX_TURNS : 30;
    const seatFor = environment.family === 'userbench' ? ub.openSeat(this.seat) : undefined;
    // The environments' code (tau-bench's tools and Python semantics, TravelGym, τ³) loads with the first episode, not with the page.
    const { buildEnvironment } = await import('../../lib/setup/environments.ts');
    const { env, user, tau2 } = await buildEnvironment(
      {
        environment,
        split,
        taskIndex,
        maxSteps,
        userModel,
        seat: this.seat,
        ...(environment.family === 'userbench' && seatFor ? { humanSeat: seatFor } : {}),
        ...(resume ? { resume } : {}),
      },
      { tauBench: (domain, split) => this.tauPack(domain, split), userBench: () => ub.pack(this.folder), tau2: (domain) => this.tau2.pack(domain, this.folder, this.#folderPick) },
    );
    switch (environment.family) {
      case 'policy-chat':
        return { env, user, meta: { environment: { family: 'policy-chat' } }, maxSteps };
      case 'tau-bench':
        return { env, user, meta: { environment, taskIndex: this.taskIndex, taskSplit: 'test' }, maxSteps };
      case 'tau2':
        this.tau2.seat = undefined;
        return {
          env,
          user,
          meta: { environment, taskIndex, taskSplit: split, dataSource: this.folder ? 'folder' : this.tau2.source },
          maxSteps,
          ...(tau2 && !user ? { seat: (person: UserSide) => (this.tau2.seat = new Tau2HumanSeat(person, tau2)) } : {}),
        };
      case 'userbench':
        return { env, user, meta: { environment: episodeEnvironment(environment), taskIndex: ub.taskIndex, taskSplit: ub.samples ? 'samples' : 'test' }, maxSteps };
    }
  }
}
