import type { EpisodeMeta } from '../../loop/events.ts';
import type { EpisodeTrace } from '../../traces/schema.ts';
import { pointKey, replayAgainstGold, isReadOnlyTool, type GoldTask } from '../gold.ts';
import type { LabelSet } from './label.ts';

/** The gold task an episode was run on, when known (tau-bench tasks carry gold actions). */
export type GoldOf = (meta: EpisodeMeta) => GoldTask | undefined;

/**
 * Outcome labels, from the episode's reward and its task's gold actions.
 * - reward 1: every executed proposal is an approval; a rejected proposal is
 *   an approval too when it equals a gold action still to do (the critic was
 *   wrong to object). Other rejected proposals are left to the interventions source.
 * - reward 0: the departure is the first step whose executed action is a
 *   state-changing call matching no gold action still to do. Before it,
 *   executed proposals are approvals; rejected ones are labelled by gold
 *   (right: approve, wrong: revise). At it, every proposal gold can judge is
 *   labelled the same way, the executed one a revision with feedback naming
 *   expected vs proposed. After it nothing is labelled: the trajectory has
 *   already left the gold path. A failed episode with no departure (or no
 *   gold task) cannot be localised and yields no labels.
 * Unscored, aborted, errored and running episodes yield nothing.
 */
export function outcomeLabels(traces: readonly EpisodeTrace[], goldOf: GoldOf, readOnly = isReadOnlyTool): LabelSet {
  const out: LabelSet = new Map();
  for (const t of traces) {
    if (t.status !== 'done' && t.status !== 'max_steps') continue;
    if (t.reward === undefined) continue;
    const gold = goldOf(t.meta);
    const replay = gold ? replayAgainstGold(t, gold, readOnly) : undefined;
    const passed = t.reward >= 1;
    if (!passed && replay?.departureStep === undefined) continue;
    for (const entry of t.timeline) {
      if (entry.type !== 'step') continue;
      const { step } = entry;
      if (!passed && replay && replay.departureStep !== undefined && step.index > replay.departureStep) break;
      step.proposals.forEach((p, i) => {
        const key = pointKey(t.id, step.index, p.attempt);
        const executed = i === step.proposals.length - 1;
        const j = replay?.judgements.get(key);
        if (passed) {
          if (executed || j?.correctness === 'right') out.set(key, { decision: 'approve', source: 'outcome' });
          return;
        }
        if (j?.correctness === 'wrong') {
          out.set(key, { decision: 'revise', category: j.category, feedback: j.feedback, source: 'outcome' });
        } else if (j?.correctness === 'right' || (executed && step.index !== replay?.departureStep)) {
          out.set(key, { decision: 'approve', source: 'outcome' });
        }
      });
    }
  }
  return out;
}
