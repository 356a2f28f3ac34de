/**
 * The runner's factories for UserBench: the pack (prompts, tool, task index,
 * scenarios) is loaded once per environment and variant; each episode is built
 * by the environment factory (setup/environments.ts) with the run's user model
 * (metered by the runner) as its judges and simulated user.
 */
import type { Env, UserSide } from '../envs/types.ts';
import { ValidationError } from '../errors.ts';
import { indexFileFor, loadUserBenchPack, scenarioOf, type LoadUserBenchOptions, type PackSource, type UserBenchPack } from '../envs/userbench/pack.ts';
import { PackCache } from '../envs/tau-bench/pack-cache.ts';
import { buildEnvironment, userBenchRow, type UserBenchPackChoice } from '../setup/environments.ts';
import { runModels, type ModelClientOptions } from './models.ts';
import type { BenchEnvironment } from '../envs/bench-environment.ts';
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
    ...(e.tasksFile ? { indexFile: e.tasksFile } : { env: e.domain, indexFile: indexFileFor(e.domain, e.oneChoice ?? false, spec.split) }),
    ...(e.scenarioFiles ? { scenarioFiles: e.scenarioFiles } : {}),
  };
}

/** Loads run packs from `source` in this thread (the headless CLI, tests). */
export function sourcePackLoader(source: PackSource): RunPackLoader {
  return async (spec) => loadUserBenchPack(source, runPackOptions(spec));
}

export function userBenchFactories(loadPack: RunPackLoader, models: ModelClientOptions): BenchFactories {
  // A failed load is not cached: the next attempt (a resume) tries again.
  const packs = new PackCache<UserBenchPack>();
  const pack = (spec: PackChoice): Promise<UserBenchPack> => packs.get(JSON.stringify([spec.environment, spec.split]), () => loadPack(spec));
  const users = new WeakMap<Env, UserSide>();
  return {
    async createEnv(environment, taskIndex, _split, context) {
      if (!context) throw new Error('UserBench episodes need the run spec and the user model');
      const { env, user } = await buildEnvironment(
        { environment, split: context.spec.split, taskIndex, maxSteps: context.spec.maxSteps, userModel: () => context.userActor },
        { userBench: (choice: UserBenchPackChoice) => pack(choice), tauBench: () => Promise.reject(new ValidationError('run spec environment', 'a UserBench run loads no tau-bench pack')) },
      );
      if (user) users.set(env, user);
      return env;
    },
    createUser({ env }): UserSide {
      const user = users.get(env);
      if (!user) throw new Error('UserBench: the episode has no opening message (env not made by these factories)');
      return user;
    },
    ...runModels(models),
    prepare: async (spec) => {
      const p = await pack(spec);
      for (const t of spec.taskIndices) scenarioOf(p, userBenchRow(p, t));
    },
  };
}
