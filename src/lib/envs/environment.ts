/**
 * Which environment an episode ran in, as data: the family, and for the
 * benchmarks the domain. The one place that names tau-bench's domains and
 * task splits and UserBench's environments. Kept free of heavy imports: the
 * loop's event schema (and so every worker that speaks it) depends on it.
 */
import { z } from 'zod';

export const TauDomainSchema = z.enum(['retail', 'airline']);
export type TauDomain = z.infer<typeof TauDomainSchema>;
export const TAU_DOMAINS: readonly TauDomain[] = TauDomainSchema.options;

/** tau-bench's task splits (retail has all three, airline only test). */
export const TaskSplitSchema = z.enum(['test', 'train', 'dev']);
export type TaskSplit = z.infer<typeof TaskSplitSchema>;
export const TASK_SPLITS: readonly TaskSplit[] = TaskSplitSchema.options;

/** UserBench's evaluation environments (eval.py's default --envs). */
export const UserBenchEnvSchema = z.enum(['travel22', 'travel33', 'travel44']);
export type UserBenchEnvName = z.infer<typeof UserBenchEnvSchema>;
export const USERBENCH_ENVS: readonly UserBenchEnvName[] = UserBenchEnvSchema.options;

const tauBench = { family: z.literal('tau-bench'), domain: TauDomainSchema };
/** `oneChoice`: one answer per aspect (eval.py --one_choice). */
const userBench = { family: z.literal('userbench'), domain: UserBenchEnvSchema, oneChoice: z.boolean().optional() };

export const EpisodeEnvironmentSchema = z.discriminatedUnion('family', [
  z.object(tauBench),
  z.object(userBench),
  z.object({ family: z.literal('policy-chat') }),
]);
export type EpisodeEnvironment = z.infer<typeof EpisodeEnvironmentSchema>;
export type EnvironmentFamily = EpisodeEnvironment['family'];

/**
 * What a benchmark run runs on: an episode environment of a benchmark family,
 * with that family's run options beside it (a tagged union, so an option of
 * one family cannot be given to another: an unknown key is an error).
 */
export const BenchEnvironmentSchema = z.discriminatedUnion('family', [
  z.strictObject(tauBench),
  z.strictObject({
    ...userBench,
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
  { family: 'userbench', label: 'UserBench', environments: USERBENCH_ENVS.map((domain) => ({ family: 'userbench', domain })) },
];

/** The benchmark a domain name given on a command line names ('retail', 'travel22'), looked up in the one list. */
export function benchEnvironmentNamed(domain: string): BenchEnvironment | undefined {
  return BENCH_ENVIRONMENTS.flatMap((f) => f.environments).find((e) => e.domain === domain);
}

/**
 * The environment's name for lists, filters, training data and UserBench's
 * result files, e.g. 'tau-bench/retail', 'userbench/travel22-onechoice',
 * 'policy-chat'. Derived one way only: code reads the fields, never this name.
 */
export function environmentName(e: EpisodeEnvironment): string {
  switch (e.family) {
    case 'tau-bench':
      return `tau-bench/${e.domain}`;
    case 'userbench':
      return `userbench/${e.domain}${e.oneChoice ? '-onechoice' : ''}`;
    case 'policy-chat':
      return 'policy-chat';
  }
}

/** The tau-bench domain, for an episode that ran in tau-bench. */
export function tauDomainOf(e: EpisodeEnvironment): TauDomain | undefined {
  return e.family === 'tau-bench' ? e.domain : undefined;
}
