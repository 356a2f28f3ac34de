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

export const TauBenchEnvironmentSchema = z.object({ family: z.literal('tau-bench'), domain: TauDomainSchema });
/** `oneChoice`: one answer per aspect (eval.py --one_choice). */
export const UserBenchEnvironmentSchema = z.object({ family: z.literal('userbench'), domain: UserBenchEnvSchema, oneChoice: z.boolean().optional() });

export const EpisodeEnvironmentSchema = z.discriminatedUnion('family', [
  TauBenchEnvironmentSchema,
  UserBenchEnvironmentSchema,
  z.object({ family: z.literal('policy-chat') }),
]);
export type EpisodeEnvironment = z.infer<typeof EpisodeEnvironmentSchema>;
export type EnvironmentFamily = EpisodeEnvironment['family'];

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
