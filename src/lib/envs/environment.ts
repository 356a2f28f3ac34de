/**
 * Which environment an episode ran in, as data: the family, and for the
 * benchmarks the domain. The one place that names tau-bench's and τ³-bench's
 * domains and task splits and UserBench's environments. Kept free of heavy imports: the
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

/** τ³-bench's domains (sierra-research/tau2-bench at a2c0247; the port: envs/tau2/). */
export const Tau2DomainSchema = z.enum(['airline', 'retail', 'telecom']);
export type Tau2Domain = z.infer<typeof Tau2DomainSchema>;
export const TAU2_DOMAINS: readonly Tau2Domain[] = Tau2DomainSchema.options;

/**
 * τ³-bench's task splits as its split_tasks.json names them ('base': every task; telecom also has 'small',
 * and 'full', its 2,285 generated tasks, which only upstream's tasks.json holds: docs/tau2.md).
 */
export const Tau2SplitSchema = z.enum(['base', 'train', 'test', 'small', 'full']);
export type Tau2Split = z.infer<typeof Tau2SplitSchema>;
export const TAU2_SPLITS: readonly Tau2Split[] = Tau2SplitSchema.options;

/** Any benchmark's task split: each family checks it has the one asked for. */
export const BenchSplitSchema = z.enum(['test', 'train', 'dev', 'base', 'small', 'full']);
export type BenchSplit = z.infer<typeof BenchSplitSchema>;

/** The split as tau-bench names it, or an error saying it has no such split. */
export function tauBenchSplit(split: BenchSplit): TaskSplit {
  const s = TaskSplitSchema.safeParse(split);
  if (!s.success) throw new Error(`tau-bench has no task split "${split}" (it has ${TASK_SPLITS.join(', ')})`);
  return s.data;
}

/** The split as τ³-bench names it, or an error saying it has no such split. */
export function tau2Split(split: BenchSplit): Tau2Split {
  const s = Tau2SplitSchema.safeParse(split);
  if (!s.success) throw new Error(`τ³-bench has no task split "${split}" (it has ${TAU2_SPLITS.join(', ')})`);
  return s.data;
}

export const TauBenchEnvironmentSchema = z.object({ family: z.literal('tau-bench'), domain: TauDomainSchema });
/** `oneChoice`: one answer per aspect (eval.py --one_choice). */
export const UserBenchEnvironmentSchema = z.object({ family: z.literal('userbench'), domain: UserBenchEnvSchema, oneChoice: z.boolean().optional() });

export const Tau2EnvironmentSchema = z.object({ family: z.literal('tau2'), domain: Tau2DomainSchema });

export const EpisodeEnvironmentSchema = z.discriminatedUnion('family', [
  TauBenchEnvironmentSchema,
  Tau2EnvironmentSchema,
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
    case 'tau2':
      return `tau2/${e.domain}`;
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
