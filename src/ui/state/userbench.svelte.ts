import type { Actor } from '../../lib/actor/types.ts';
import { USERBENCH_SAMPLES } from '../../lib/runs/userBenchFactories.ts';
import { environmentName, type EpisodeEnvironment, type UserBenchEnvName } from '../../lib/envs/environment.ts';
import { ValidationError } from '../../lib/errors.ts';
import { actorTravelLlm } from '../../lib/envs/userbench/actorLlm.ts';
import { createUserBenchEnv, UserBenchOpening } from '../../lib/envs/userbench/env.ts';
import { TravelGym } from '../../lib/envs/userbench/gym.ts';
import { HumanTravelSeat, type SeatRequest } from '../../lib/envs/userbench/humanSeat.ts';
import { scenarioOf, type UserBenchPack } from '../../lib/envs/userbench/pack.ts';
import { recordedLlmCalls, RecordingTravelLlm } from '../../lib/envs/userbench/recordingLlm.ts';
import type { TravelPreference } from '../../lib/envs/userbench/task.ts';
import type { TimelineEntry } from '../../lib/loop/events.ts';
import { appUrl } from '../appUrl.ts';
import type { BuiltEnv } from './environment.svelte.ts';
import type { UserBenchPacks } from './userbench-packs.svelte.ts';

/** eval.sh's --max_turns. */
const MAX_TURNS = 20;

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
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #packs = new Map<string, Promise<UserBenchPack>>();

  /** `packs`: loads packs in the pack worker (its fetches are recorded for "What left this browser"). */
  constructor(readonly packs: UserBenchPacks) {}

  pack(folder: File[] | undefined, packUrl: string = appUrl('userbench/')): Promise<UserBenchPack> {
    const key = JSON.stringify([folder ? folder.length : packUrl, this.env, this.samples, this.oneChoice]);
    let p = this.#packs.get(key);
    if (!p) {
      p = this.packs.load(folder ? { kind: 'files', files: folder } : { kind: 'url', baseUrl: packUrl }, !this.samples, {
        environment: {
          family: 'userbench',
          domain: this.env,
          oneChoice: this.oneChoice,
          ...(this.samples ? { tasksFile: USERBENCH_SAMPLES.tasksFile, scenarioFiles: [...USERBENCH_SAMPLES.scenarioFiles] } : {}),
        },
        split: 'test',
      });
      p.catch(() => this.#packs.delete(key));
      this.#packs.set(key, p);
    }
    return p;
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

  /**
   * A fresh gym for the task; `resume` replays a stored episode's recorded
   * LLM outputs so its state is rebuilt without calling a model.
   */
  async build(seat: 'human' | 'simulated', userModel: () => Actor, folder: File[] | undefined, resume?: readonly TimelineEntry[]): Promise<BuiltEnv> {
    const pack = await this.pack(folder);
    const row = pack.tasks[this.taskIndex];
    if (!row) throw new ValidationError(pack.indexFile, `task ${this.taskIndex} does not exist (there are ${pack.tasks.length})`);
    const model = actorTravelLlm(userModel());
    this.#seat = seat === 'human' ? new HumanTravelSeat(pack.prompts, (r) => (this.seatRequest = r)) : undefined;
    this.seatRequest = undefined;
    const recorder = new RecordingTravelLlm(this.#seat ? this.#seat.llm(model) : model, resume ? recordedLlmCalls(resume) : []);
    const gym = new TravelGym(scenarioOf(pack, row), { maxSteps: MAX_TURNS, oneChoicePerAspect: this.oneChoice }, recorder.llm, pack.prompts);
    const environment: EpisodeEnvironment = { family: 'userbench', domain: this.env, ...(this.oneChoice ? { oneChoice: true } : {}) };
    return {
      env: createUserBenchEnv({ id: `${environmentName(environment)}/${pack.indexFile}/${this.taskIndex}`, policy: row.system, tool: pack.tool, gym, llm: recorder }),
      user: new UserBenchOpening(row.user, seat),
      meta: { environment, taskIndex: this.taskIndex, taskSplit: this.samples ? 'samples' : 'test' },
      maxSteps: MAX_TURNS,
    };
  }
}
