import { USERBENCH_SAMPLES } from '../../lib/runs/userbench-packs.ts';
import type { UserBenchEnvName } from '../../lib/envs/environment.ts';
import type { BenchEnvironment } from '../../lib/envs/bench-environment.ts';
import { HumanTravelSeat, type SeatRequest } from '../../lib/envs/userbench/human-seat.ts';
import { scenarioOf, type UserBenchPack } from '../../lib/envs/userbench/pack.ts';
import type { TravelPreference } from '../../lib/envs/userbench/task.ts';
import type { UserBenchPrompts } from '../../lib/envs/userbench/prompts.ts';
import { PackCache } from '../../lib/envs/tau-bench/pack-cache.ts';
import { appUrl } from '../app-url.ts';
import type { UserBenchPacks } from './userbench-packs.svelte.ts';

/** eval.sh's --max_turns. */
export const USERBENCH_MAX_TURNS = 20;

/**
 * The Chat tab's UserBench task: which environment and task, who sits in the
 * user's seat, and, for a person there, what the gym asks of their next reply
 * and the hidden preferences they play.
 */
export class UserBenchChoice {
  env = $state<UserBenchEnvName>('travel22');
  /** The three sample scenarios (the app's copy), or the upstream test index with the upstream data files. */
  samples = $state(true);
  oneChoice = $state(false);
  taskIndex = $state(0);
  taskCount = $state<number | undefined>(undefined);
  /** The task's hidden preferences, shown to a person in the user's seat. */
  preferences = $state.raw<readonly TravelPreference[]>([]);
  /** What the gym waits for from the person, if anything. */
  seatRequest = $state.raw<SeatRequest | undefined>(undefined);
  #seat: HumanTravelSeat | undefined;
  // A private load cache, not rendered state.
  readonly #packs = new PackCache<UserBenchPack>();

  /** `packs`: loads packs in the pack worker (its fetches are recorded for "What left this browser"). */
  constructor(readonly packs: UserBenchPacks) {}

  /** The picked environment, with the sample files when the samples are picked. */
  get environment(): Extract<BenchEnvironment, { family: 'userbench' }> {
    return {
      family: 'userbench',
      domain: this.env,
      ...(this.oneChoice ? { oneChoice: true } : {}),
      ...(this.samples ? { tasksFile: USERBENCH_SAMPLES.tasksFile, scenarioFiles: [...USERBENCH_SAMPLES.scenarioFiles] } : {}),
    };
  }

  pack(folder: File[] | undefined, packUrl: string = appUrl('userbench/')): Promise<UserBenchPack> {
    const environment = this.environment;
    const key = JSON.stringify([folder ? folder.length : packUrl, environment]);
    return this.#packs.get(key, () =>
      this.packs.load(folder ? { kind: 'files', files: folder } : { kind: 'url', baseUrl: packUrl }, !this.samples, { environment, split: 'test' }),
    );
  }

  async refreshTask(folder: File[] | undefined): Promise<void> {
    const pack = await this.pack(folder);
    this.taskCount = pack.tasks.length;
    const row = pack.tasks[this.taskIndex];
    this.preferences = row ? scenarioOf(pack, row).preferences : [];
  }

  /** The person's reply in the user's seat. */
  answer(text: string): void {
    this.#seat?.say(text);
  }

  /** The seat for an episode: a person's (the gym's simulated-user calls become requests to them), or none. */
  openSeat(seat: 'human' | 'simulated'): ((prompts: UserBenchPrompts) => HumanTravelSeat) | undefined {
    this.seatRequest = undefined;
    this.#seat = undefined;
    if (seat === 'simulated') return undefined;
    return (prompts) => (this.#seat = new HumanTravelSeat(prompts, (r) => (this.seatRequest = r)));
  }
}
