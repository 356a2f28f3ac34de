/**
 * The runner's factories for UserBench: the pack (prompts, tool, task index,
 * scenarios) is loaded once per environment and variant; each episode gets a
 * fresh TravelGym for its task row, whose judges and simulated user are the
 * run's user model (metered by the runner), and the row's opening message.
 */
import type { UserSide } from '../envs/types.ts';
import { ValidationError } from '../errors.ts';
import { actorTravelLlm } from '../envs/userbench/actorLlm.ts';
import { createUserBenchEnv, UserBenchOpening } from '../envs/userbench/env.ts';
import { TravelGym } from '../envs/userbench/gym.ts';
import { loadUserBenchPack, scenarioOf, type LoadUserBenchOptions, type PackSource, type UserBenchPack } from '../envs/userbench/pack.ts';
import { RecordingTravelLlm } from '../envs/userbench/recordingLlm.ts';
import { makeActor, makeCritic, type ModelClientOptions } from './models.ts';
import type { BenchEnvironment } from '../envs/environment.ts';
import type { RunSpec } from './plan.ts';
import type { BenchFactories } from './runner.ts';

/** The three whole sample scenarios and their index rows (../shared/userbench), for tests, demos and dev. */
export const USERBENCH_SAMPLES = {
  tasksFile: 'tasks/sample_scenarios_train_rows.json',
  scenarioFiles: [
    'scenarios/testtask272_flight_apartment.json',
    'scenarios/testtask733_rentalcar_restaurant.json',
    'scenarios/testtask2330_hotel_restaurant_flight.json',
  ],
} as const;

export type PackChoice = Pick<RunSpec, 'environment' | 'split'>;
/** Loads the pack a run spec names: in-process (Node) or in the pack worker (browser). */
export type RunPackLoader = (spec: PackChoice) => Promise<UserBenchPack>;

type UserBenchRunEnvironment = Extract<BenchEnvironment, { family: 'userbench' }>;

function userBenchEnvironment(environment: BenchEnvironment): UserBenchRunEnvironment {
  if (environment.family !== 'userbench') throw new ValidationError('run spec environment', `${environment.family} is not UserBench`);
  return environment;
}

/** The pack as a run spec names it: its own index file (all its rows of the variant), or the env's. */
export function runPackOptions(spec: PackChoice): LoadUserBenchOptions & { oneChoice: boolean } {
  const e = userBenchEnvironment(spec.environment);
  return {
    oneChoice: e.oneChoice ?? false,
    ...(e.tasksFile ? { indexFile: e.tasksFile } : { env: e.domain, indexFile: `tasks/${e.domain}_multiturn${e.oneChoice ? '_onechoice' : ''}_${spec.split}.json` }),
    ...(e.scenarioFiles ? { scenarioFiles: e.scenarioFiles } : {}),
  };
}

/** Loads run packs from `source` in this thread (the headless CLI, tests). */
export function sourcePackLoader(source: PackSource): RunPackLoader {
  return async (spec) => loadUserBenchPack(source, runPackOptions(spec));
}

function rowOf(pack: UserBenchPack, taskIndex: number) {
  const row = pack.tasks[taskIndex];
  if (!row) throw new ValidationError(pack.indexFile, `task ${taskIndex} does not exist (there are ${pack.tasks.length})`);
  return row;
}

export function userBenchFactories(loadPack: RunPackLoader, models: ModelClientOptions): BenchFactories {
  const packs = new Map<string, Promise<UserBenchPack>>();
  const pack = (spec: PackChoice): Promise<UserBenchPack> => {
    const key = JSON.stringify([spec.environment, spec.split]);
    let p = packs.get(key);
    if (!p) {
      p = Promise.resolve().then(() => loadPack(spec));
      // A failed load is not cached: the next attempt (a resume) tries again.
      p.catch(() => packs.delete(key));
      packs.set(key, p);
    }
    return p;
  };
  const openings = new WeakMap<object, string>();
  return {
    async createEnv(environment, taskIndex, _split, context) {
      if (!context) throw new Error('UserBench episodes need the run spec and the user model');
      const spec = context.spec;
      const p = await pack(spec);
      const row = rowOf(p, taskIndex);
      const recorder = new RecordingTravelLlm(actorTravelLlm(context.userActor));
      const gym = new TravelGym(scenarioOf(p, row), { maxSteps: spec.maxSteps, oneChoicePerAspect: userBenchEnvironment(environment).oneChoice ?? false }, recorder.llm, p.prompts);
      const env = createUserBenchEnv({ id: `userbench/${environment.domain}/${p.indexFile}/${taskIndex}`, policy: row.system, tool: p.tool, gym, llm: recorder });
      openings.set(env, row.user);
      return env;
    },
    createUser({ env }): UserSide {
      const opening = openings.get(env);
      if (opening === undefined) throw new Error('UserBench: the episode has no opening message (env not made by these factories)');
      return new UserBenchOpening(opening);
    },
    createActor: (spec, role, temperature) => makeActor(models, spec, role, temperature),
    createCritic: (spec) => makeCritic(models, spec),
    prepare: async (spec) => {
      const p = await pack(spec);
      for (const t of spec.taskIndices) scenarioOf(p, rowOf(p, t));
    },
  };
}
