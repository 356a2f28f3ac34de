/**
 * Which UserBench pack a run reads, and how it is loaded: the sample
 * scenarios, a run spec's pack options, an in-process loader. Apart from the
 * runner's factories (userbench-factories.ts) so that the page can name a pack
 * without loading the environments' code.
 */
import type { BenchEnvironment } from '../envs/bench-environment.ts';
import { indexFileFor, loadUserBenchPack, type LoadUserBenchOptions, type PackSource, type UserBenchPack } from '../envs/userbench/pack.ts';
import { ValidationError } from '../errors.ts';
import type { RunSpec } from './plan.ts';

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

