import type { EpisodeTrace } from '../../traces/schema.ts';
import { isReadOnlyTool, pointKey, replayAgainstGold } from '../gold.ts';
import type { GoldOf } from './outcome.ts';
import type { LabelSet } from './label.ts';

/**
 * Intervention labels: in intervene-mode episodes that passed (reward 1),
 * each proposal the critic sent back with a `revise` verdict becomes a
 * revision with the critic's own feedback, and the approved revision that
 * then ran becomes an approval. When the task's gold actions are known, a
 * rejected proposal that equals a gold action still to do is dropped: the
 * episode passed despite that objection, not because of it.
 * Steps without an intervention, flagged steps' final proposals and
 * unparsed/error verdicts give no label here.
 */
export function interventionLabels(traces: readonly EpisodeTrace[], goldOf?: GoldOf, readOnly = isReadOnlyTool): LabelSet {
  const out: LabelSet = new Map();
  for (const t of traces) {
    if (t.meta.mode !== 'intervene' || t.reward === undefined || t.reward < 1) continue;
    const gold = goldOf?.(t.meta);
    const replay = gold ? replayAgainstGold(t, gold, readOnly) : undefined;
    for (const entry of t.timeline) {
      if (entry.type !== 'step' || entry.step.proposals.length < 2) continue;
      const { step } = entry;
      step.proposals.forEach((p, i) => {
        const key = pointKey(t.id, step.index, p.attempt);
        const v = p.verdict;
        if (!v) return;
        const last = i === step.proposals.length - 1;
        if (last && v.decision === 'approve') {
          out.set(key, { decision: 'approve', source: 'interventions' });
        } else if (!last && v.decision === 'revise' && v.feedback) {
          if (replay?.judgements.get(key)?.correctness === 'right') return;
          out.set(key, { decision: 'revise', ...(v.category ? { category: v.category } : {}), feedback: v.feedback, source: 'interventions' });
        }
      });
    }
  }
  return out;
}
