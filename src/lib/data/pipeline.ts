import type { EpisodeTrace } from '../traces/schema.ts';
import { dedupe, splitByTask, type Split } from './dataset.ts';
import { buildExamples, type TrainingExample } from './examples.ts';
import { mineHardTasks, type HardTask } from './labels/hard-tasks.ts';
import { interventionLabels } from './labels/interventions.ts';
import { combineLabels, type LabelSet } from './labels/label.ts';
import { outcomeLabels, type GoldOf } from './labels/outcome.ts';
import { decisionPoints, type DecisionPoint, type ToolsOf } from './points.ts';
import { labelStats, type LabelStats } from './label-stats.ts';

/** What the pipeline needs from the environments: the actor's tools and, where known, the task's gold. */
export interface EnvContext {
  toolsOf: ToolsOf;
  goldOf: GoldOf;
}

interface PipelineOptions {
  outcome: boolean;
  interventions: boolean;
  /** Teacher labels, computed beforehand (they cost model calls); omit to leave the source out. */
  teacher?: LabelSet;
  /** Keep only examples of tasks the actor alone fails or is inconsistent on. */
  hardTasksOnly: boolean;
  minRunsForHardTasks?: number;
  validationFraction: number;
  seed: string;
}

export interface PipelineResult {
  proposals: number;
  examples: TrainingExample[];
  duplicatesRemoved: number;
  /** Prompts labelled both approve and revise (kept; shown so the person can look). */
  conflicts: number;
  hardTasks: HardTask[];
  stats: LabelStats;
  split: Split;
}

/** Every proposal of every finished episode, with the critic's view of it. */
export function allDecisionPoints(traces: readonly EpisodeTrace[], toolsOf: ToolsOf): DecisionPoint[] {
  return traces.filter((t) => t.status !== 'running').flatMap((t) => decisionPoints(t, toolsOf));
}

/** Stored episodes → labelled, deduplicated examples split by task. Sources combine most-trusted first. */
export function runPipeline(
  traces: readonly EpisodeTrace[],
  ctx: EnvContext,
  opts: PipelineOptions,
  /** The traces' decision points when already built: reusing them reuses their cached prompt fingerprints. */
  points: readonly DecisionPoint[] = allDecisionPoints(traces, ctx.toolsOf),
): PipelineResult {
  const sets: LabelSet[] = [];
  if (opts.outcome) sets.push(outcomeLabels(traces, ctx.goldOf));
  if (opts.interventions) sets.push(interventionLabels(traces, ctx.goldOf));
  if (opts.teacher) sets.push(opts.teacher);
  let examples = buildExamples(points, combineLabels(sets));
  const hardTasks = mineHardTasks(traces, opts.minRunsForHardTasks);
  if (opts.hardTasksOnly) {
    const keep = new Set(hardTasks.map((h) => h.taskKey));
    examples = examples.filter((e) => keep.has(e.taskKey));
  }
  const d = dedupe(examples);
  return {
    proposals: points.length,
    examples: d.examples,
    duplicatesRemoved: d.removed,
    conflicts: d.conflicts,
    hardTasks,
    stats: labelStats(d.examples),
    split: splitByTask(d.examples, opts.validationFraction, opts.seed),
  };
}
