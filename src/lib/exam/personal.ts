/**
 * A personal exam set from the user's own stored episodes: the Data tab's
 * pipeline (data/pipeline.ts) labels their decision points from its label
 * sources (outcome, interventions, teacher) and removes duplicates; each
 * labelled example becomes an item with the same critic input. This is
 * where retail items come from: tau-bench publishes no retail conversations
 * to cut a set from.
 */
import type { TrainingExample } from '../data/examples.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import { EXAM_SCHEMA_VERSION, type ExamItem } from './schema.ts';

function whyOf(e: TrainingExample): string {
  const t = e.target;
  if (t.decision === 'approve') return `Labelled approve by the ${e.source} source.`;
  return `Labelled revise by the ${e.source} source${t.category ? ` (${t.category})` : ''}${t.feedback ? `: ${t.feedback}` : '.'}`;
}

/**
 * One item per example, in the examples' order; id `<set>/<decision point key>`.
 * `traces` are the episodes the examples came from (for environment, task, trial and reward);
 * an example whose episode is not among them is left out.
 */
export function personalExamSet(set: string, examples: readonly TrainingExample[], traces: readonly EpisodeTrace[]): ExamItem[] {
  const byId = new Map(traces.map((t) => [t.id, t]));
  const out: ExamItem[] = [];
  for (const e of examples) {
    const t = byId.get(e.episodeId);
    if (!t) continue;
    const p = e.input.proposal;
    out.push({
      schemaVersion: EXAM_SCHEMA_VERSION,
      id: `${set}/${e.key}`,
      set,
      environment: t.meta.environment,
      tool: p.kind === 'tool_call' ? p.call.name : 'message',
      input: e.input,
      label: e.target.decision,
      why: whyOf(e),
      source: {
        episodeId: e.episodeId,
        ...(t.meta.taskIndex !== undefined && t.meta.taskIndex >= 0 ? { taskId: t.meta.taskIndex } : {}),
        ...(t.meta.trial !== undefined && t.meta.trial >= 0 ? { trial: t.meta.trial } : {}),
        ...(t.reward !== undefined ? { reward: t.reward } : {}),
      },
    });
  }
  return out;
}
