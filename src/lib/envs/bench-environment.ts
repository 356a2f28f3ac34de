/**
 * What a benchmark run runs on, as data: the environment its episodes record
 * and that family's run options, and the one list of benchmarks a run can
 * name. Apart from environment.ts so the workers that speak the loop's events
 * do not carry it.
 */
import { z } from 'zod';
import {
  TAU_DOMAINS,
  TAU2_DOMAINS,
  Tau2EnvironmentSchema,
  TauBenchEnvironmentSchema,
  USERBENCH_ENVS,
  UserBenchEnvironmentSchema,
  environmentName,
  type EpisodeEnvironment,
} from './environment.ts';

/**
 * What a benchmark run runs on: an episode environment of a benchmark family,
 * with that family's run options beside it (a tagged union, so an option of
 * one family cannot be given to another: an unknown key is an error).
 */
export const BenchEnvironmentSchema = z.discriminatedUnion('family', [
  z.strictObject(TauBenchEnvironmentSchema.shape),
  z.strictObject(Tau2EnvironmentSchema.shape),
  z.strictObject({
    ...UserBenchEnvironmentSchema.shape,
    /** The task index file in the pack, instead of <env>_multiturn[_onechoice]_<split>.json. */
    tasksFile: z.string().min(1).optional(),
    /** The scenario files in the pack, instead of the eight upstream data files. */
    scenarioFiles: z.array(z.string().min(1)).min(1).optional(),
  }),
]);
export type BenchEnvironment = z.infer<typeof BenchEnvironmentSchema>;
export type BenchFamily = BenchEnvironment['family'];

/** The environment a benchmark's episodes record: the run's, without its run options. */
export function episodeEnvironment(e: BenchEnvironment): EpisodeEnvironment {
  switch (e.family) {
    case 'tau-bench':
      return { family: 'tau-bench', domain: e.domain };
    case 'tau2':
      return { family: 'tau2', domain: e.domain };
    case 'userbench':
      return { family: 'userbench', domain: e.domain, ...(e.oneChoice ? { oneChoice: true } : {}) };
  }
}

/**
 * Every benchmark a run can name, family by family: the one list the Benchmark
 * tab's domain choice and the command line's --domain are read from.
 */
export const BENCH_ENVIRONMENTS: ReadonlyArray<{ family: BenchFamily; label: string; environments: readonly BenchEnvironment[] }> = [
  { family: 'tau-bench', label: 'tau-bench', environments: TAU_DOMAINS.map((domain) => ({ family: 'tau-bench', domain })) },
  { family: 'tau2', label: 'τ³-bench', environments: TAU2_DOMAINS.map((domain) => ({ family: 'tau2', domain })) },
  { family: 'userbench', label: 'UserBench', environments: USERBENCH_ENVS.map((domain) => ({ family: 'userbench', domain })) },
];

/**
 * The benchmark a name given on a command line or a form names, looked up in the one list: its
 * environment name ('tau2/retail', 'tau-bench/retail', 'userbench/travel22'), or a bare domain
 * ('retail', 'travel22'), which names the first family that has it (tau-bench before τ³-bench).
 */
export function benchEnvironmentNamed(name: string): BenchEnvironment | undefined {
  const all = BENCH_ENVIRONMENTS.flatMap((f) => f.environments);
  return all.find((e) => environmentName(episodeEnvironment(e)) === name) ?? all.find((e) => e.domain === name);
}
