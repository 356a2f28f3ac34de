import { createPolicyChatEnv } from '../../lib/envs/policy-chat/env.ts';
import { createTauEnv } from '../../lib/envs/tau-bench/env.ts';
import { filesPackSource, httpPackSource, loadTauPack, taskOf, type TauPack } from '../../lib/envs/tau-bench/pack.ts';
import { SimulatedUser } from '../../lib/envs/tau-bench/user.ts';
import type { TauDomain } from '../../lib/envs/tau-bench/tool.ts';
import type { Actor } from '../../lib/actor/types.ts';
import type { Env, UserSide } from '../../lib/envs/types.ts';
import type { EpisodeMeta } from '../../lib/loop/events.ts';
import { appUrl } from '../appUrl.ts';
import type { TimelineEntry } from '../../lib/loop/events.ts';
import { UserBenchChoice } from './userbench.svelte.ts';
import type { UserBenchPacks } from './userbench-packs.svelte.ts';

export type EnvKind = 'policy-chat' | 'tau-bench' | 'userbench';

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
  constructor(
    userBenchPacks: UserBenchPacks,
    private readonly fetchPack: typeof fetch = (...a) => fetch(...a),
  ) {
    this.userBench = new UserBenchChoice(userBenchPacks);
  }

  // A private load cache, not rendered state: no reactivity wanted.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #packs = new Map<string, Promise<TauPack>>();

  /** Loads (once per URL and domain) and validates the benchmark pack. */
  pack(): Promise<TauPack> {
    const folder = this.folder;
    const key = `${folder ? `folder#${this.#folderPick}` : this.packUrl}|${this.domain}`;
    let p = this.#packs.get(key);
    if (!p) {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off URL resolution, not state
      const source = folder ? filesPackSource(folder) : httpPackSource(new URL(this.packUrl, globalThis.location?.href).href, this.fetchPack);
      p = loadTauPack(source, [this.domain], { [this.domain]: ['test'] });
      p.catch(() => this.#packs.delete(key));
      this.#packs.set(key, p);
    }
    return p;
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
    if (this.kind === 'userbench') return this.userBench.build(this.seat, userModel, this.folder, resume);
    if (this.kind === 'policy-chat') {
      return { env: createPolicyChatEnv(policy), user: undefined, meta: { environment: 'policy-chat' }, maxSteps: 30 };
    }
    const pack = await this.pack();
    const task = taskOf(pack, this.domain, this.taskIndex);
    return {
      env: createTauEnv(pack, this.domain, this.taskIndex),
      user: this.seat === 'simulated' ? new SimulatedUser(userModel(), pack.userSimulatorPrompt, task.instruction) : undefined,
      meta: { environment: `tau-bench/${this.domain}`, taskIndex: this.taskIndex, taskSplit: 'test' },
      // tau-bench's agent: 30 actions at most.
      maxSteps: 30,
    };
  }
}
