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
 *   state-changing call matching no gold action still to do. Up to and
 *   including it, every proposal gold can judge is labelled by gold (right:
 *   approve; wrong: revise, with feedback naming expected vs proposed), and
 *   executed proposals before it are approvals. After it nothing is labelled:
 *   the trajectory has left the gold path. When no step departs, the failure
 *   cannot be localised: only proposals gold can judge are labelled (a
 *   needed action the critic blocked: approve; a wrong one it blocked: revise).
 * Episodes without a gold task are labelled only when they passed.
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
    if (!passed && !replay) continue;
    const departure = replay?.departureStep;
    for (const entry of t.timeline) {
      if (entry.type !== 'step') continue;
      const { step } = entry;
      if (!passed && departure !== undefined && step.index > departure) break;
      step.proposals.forEach((p, i) => {
        const key = pointKey(t.id, step.index, p.attempt);
        const executed = i === step.proposals.length - 1;
        const j = replay?.judgements.get(key);
        if (passed) {
          if (executed || j?.correctness === 'right') out.set(key, { decision: 'approve', source: 'outcome' });
          return;
        }
        if (j?.correctness === 'right') {
          out.set(key, { decision: 'approve', source: 'outcome' });
        } else if (j?.correctness === 'wrong') {
          out.set(key, { decision: 'revise', ...(j.category ? { category: j.category } : {}), ...(j.feedback ? { feedback: j.feedback } : {}), source: 'outcome' });
        } else if (executed && departure !== undefined && step.index < departure) {
          out.set(key, { decision: 'approve', source: 'outcome' });
        }
      });
    }
  }
  return out;
}
