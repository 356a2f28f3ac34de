/**
 * The one environment factory, beside the model factory (factory.ts): an
 * environment spec and a task -> the live environment and its user side. The
 * Chat tab, benchmark runs (the Benchmark tab and the headless CLI) and the
 * critic exam build their episodes' worlds here, so a family is wired once.
 *
 * Packs come in through `EnvironmentPacks`: each caller loads them from its own
 * source (HTTP, a folder, the UserBench pack worker) through one `PackCache`
 * each. Environment ids follow one scheme: `environmentName/<what the task is
 * read from>/<task index>`.
 *
 * Adding a family (τ³-bench was the last) touches: its folder under
 * src/lib/envs/ (Env, user side, pack loader), its member of
 * EpisodeEnvironmentSchema and its name in `environmentName`
 * (envs/environment.ts) and, for runs, its member of BenchEnvironmentSchema,
 * its case in `episodeEnvironment` and its row of BENCH_ENVIRONMENTS
 * (envs/bench-environment.ts), its `EnvironmentPacks` loader and its case in
 * `buildEnvironment` below; then the run factories (runs/run-factories.ts,
 * runs/estimate.ts's profile) and the Chat tab's choice (ui/state/environment.svelte.ts).
 */
import type { Actor } from '../actor/actor-interface.ts';
import { environmentName, tau2Split, tauBenchSplit, type BenchSplit, type TaskSplit, type Tau2Domain, type TauDomain } from '../envs/environment.ts';
import { episodeEnvironment, type BenchEnvironment } from '../envs/bench-environment.ts';
import { createPolicyChatEnv } from '../envs/policy-chat/env.ts';
import { createTauEnv } from '../envs/tau-bench/env.ts';
import { taskOf, type TauPack } from '../envs/tau-bench/pack.ts';
import { SimulatedUser } from '../envs/tau-bench/user.ts';
import { createTau2Env, type Tau2Session } from '../envs/tau2/env.ts';
import type { NlJudge } from '../envs/tau2/evaluator.ts';
import { tau2TaskOf, type Tau2Pack } from '../envs/tau2/pack.ts';
import { Tau2SimulatedUser } from '../envs/tau2/user.ts';
import type { Env, UserSide } from '../envs/env-interface.ts';
import { actorTravelLlm } from '../envs/userbench/actor-llm.ts';
import { createUserBenchEnv, UserBenchOpening } from '../envs/userbench/env.ts';
import { TravelGym } from '../envs/userbench/gym.ts';
import type { HumanTravelSeat } from '../envs/userbench/human-seat.ts';
import type { UserBenchPrompts } from '../envs/userbench/prompts.ts';
import { scenarioOf, type UserBenchPack, type UserBenchTaskRow } from '../envs/userbench/pack.ts';
import { recordedLlmCalls, RecordingTravelLlm } from '../envs/userbench/recording-llm.ts';
import { ValidationError } from '../errors.ts';

/** Which world an episode runs in: a benchmark (with its family's options) or a policy the person wrote. */
export type EnvironmentSpec = BenchEnvironment | { family: 'policy-chat'; policy: string };

/** A UserBench run's pack as a spec names it (the environment and its options, and the split of its index file). */
export interface UserBenchPackChoice {
  environment: Extract<BenchEnvironment, { family: 'userbench' }>;
  split: TaskSplit;
}

/** The packs an environment reads, loaded (and cached) by the caller from wherever it keeps them. */
export interface EnvironmentPacks {
  tauBench(domain: TauDomain, split: TaskSplit): Promise<TauPack>;
  userBench(choice: UserBenchPackChoice): Promise<UserBenchPack>;
  tau2(domain: Tau2Domain): Promise<Tau2Pack>;
}

interface EnvironmentRequest {
  environment: EnvironmentSpec;
  /** The task split; each family checks it has it. */
  split: BenchSplit;
  taskIndex: number;
  /** Turns the environment allows (UserBench's gym truncates at it). */
  maxSteps: number;
  /** The simulated user's model (UserBench: its judges too); asked for only when needed. */
  userModel: () => Actor;
  /** 'human': a person takes the user's seat (default: the simulated user). */
  seat?: 'simulated' | 'human';
  /** UserBench with a person in the seat: the seat, given the pack's prompts; it routes the simulated user's replies to the person. */
  humanSeat?: (prompts: UserBenchPrompts) => HumanTravelSeat;
  /** UserBench: a stored episode's timeline; its recorded LLM calls rebuild the gym's state without a model. */
  resume?: Parameters<typeof recordedLlmCalls>[0];
  /** τ³: the NL-assertion judge; without one, a task whose reward basis needs it is "not judged". */
  nlJudge?: NlJudge;
}

interface LiveEnvironment {
  env: Env;
  /** The simulated user, or undefined when a person takes the seat of a user who speaks freely (policy chat, tau-bench). */
  user: UserSide | undefined;
  /** τ³: the live episode (its trajectory, the user's tools and their results), for a person in the user's seat and the reward view. */
  tau2?: Tau2Session;
}

/** The environment's id: its name, what its task is read from, and the task. */
function environmentId(environment: BenchEnvironment, source: string, taskIndex: number): string {
  return `${environmentName(episodeEnvironment(environment))}/${source}/${taskIndex}`;
}

/** The task index row of a UserBench pack, or an error naming the index file. */
export function userBenchRow(pack: UserBenchPack, taskIndex: number): UserBenchTaskRow {
  const row = pack.tasks[taskIndex];
  if (!row) throw new ValidationError(pack.indexFile, `task ${taskIndex} does not exist (there are ${pack.tasks.length})`);
  return row;
}

/** A tau-bench task's simulated user: the original's LLM user simulator, given the task's instruction. */
export function tauBenchUser(pack: TauPack, domain: TauDomain, split: TaskSplit, taskIndex: number, model: Actor): UserSide {
  return new SimulatedUser(model, pack.userSimulatorPrompt, taskOf(pack, domain, taskIndex, split).instruction);
}

/** Builds the environment `req` names, with its user side. */
export async function buildEnvironment(req: EnvironmentRequest, packs: EnvironmentPacks): Promise<LiveEnvironment> {
  const e = req.environment;
  const seat = req.seat ?? 'simulated';
  switch (e.family) {
    case 'policy-chat':
      return { env: createPolicyChatEnv(e.policy), user: undefined };
    case 'tau-bench': {
      const split = tauBenchSplit(req.split);
      const pack = await packs.tauBench(e.domain, split);
      // A fresh environment: its own copy of the database.
      const env = createTauEnv(pack, e.domain, req.taskIndex, split);
      return { env, user: seat === 'simulated' ? tauBenchUser(pack, e.domain, split, req.taskIndex, req.userModel()) : undefined };
    }
    case 'tau2': {
      const split = tau2Split(req.split);
      const pack = await packs.tau2(e.domain);
      const task = tau2TaskOf(pack, split, req.taskIndex);
      // A fresh environment on its own copy of the database(s), its trajectory in the session.
      const { env, session } = createTau2Env(pack, task, { id: environmentId(e, split, req.taskIndex), judge: req.nlJudge ?? null });
      return { env, user: seat === 'simulated' ? new Tau2SimulatedUser(req.userModel(), session) : undefined, tau2: session };
    }
    case 'userbench': {
      const pack = await packs.userBench({ environment: e, split: tauBenchSplit(req.split) });
      const row = userBenchRow(pack, req.taskIndex);
      const model = actorTravelLlm(req.userModel());
      const recorder = new RecordingTravelLlm(req.humanSeat ? req.humanSeat(pack.prompts).llm(model) : model, req.resume ? recordedLlmCalls(req.resume) : []);
      const gym = new TravelGym(scenarioOf(pack, row), { maxSteps: req.maxSteps, oneChoicePerAspect: e.oneChoice ?? false }, recorder.llm, pack.prompts);
      return {
        env: createUserBenchEnv({ id: environmentId(e, pack.indexFile, req.taskIndex), policy: row.system, tool: pack.tool, gym, llm: recorder }),
        // The gym's simulated user speaks through its feedback; the opening message is the row's.
        user: new UserBenchOpening(row.user, seat),
      };
    }
  }
}
