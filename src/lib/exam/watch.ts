/**
 * Watching a real episode: its user turns and every actor proposal in order,
 * each proposal with exactly what the critic sees (decisionPoints, as the loop
 * built it) and, where the proposal is an exam item, that item (its label and why).
 */
import { decisionPoints, type DecisionPoint } from '../data/points.ts';
import { revisionMessages } from '../loop/history.ts';
import { feedbackOf } from '../loop/runEpisode.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import type { ToolSchema, Verdict } from '../types.ts';
import type { ExamItem } from './schema.ts';

/** One beat of the watched episode: a user turn, or an actor proposal the critic judges. */
export type WatchFrame =
  | { kind: 'user'; content: string }
  | { kind: 'proposal'; point: DecisionPoint; observation: string | null; item: ExamItem | undefined }
  | { kind: 'end'; reward: number | undefined };

/** The call id of a tool-call proposal (how an exam item and a decision point meet). */
const callIdOf = (a: DecisionPoint['input']['proposal']): string | undefined => (a.kind === 'tool_call' ? a.call.id : undefined);

/** The frames of an episode: its user turns and each proposal, the exam item for it where there is one. */
export function watchFrames(trace: EpisodeTrace, tools: ToolSchema[], items: readonly ExamItem[]): WatchFrame[] {
  const byCall = new Map<string, ExamItem>();
  for (const it of items) {
    if (it.source.episodeId !== trace.id || it.source.mutation) continue;
    const id = callIdOf(it.input.proposal);
    if (id) byCall.set(id, it);
  }
  const points = decisionPoints(trace, () => tools);
  const out: WatchFrame[] = [];
  let p = 0;
  for (const e of trace.timeline) {
    if (e.type === 'user') out.push({ kind: 'user', content: e.content });
    else
      for (const _ of e.step.proposals) {
        const point = points[p++];
        if (!point) continue;
        const id = callIdOf(point.proposal.action);
        out.push({ kind: 'proposal', point, observation: point.executed ? e.step.observation : null, item: id ? byCall.get(id) : undefined });
      }
  }
  out.push({ kind: 'end', reward: trace.reward });
  return out;
}

/** What the actor would have been told had the critic's `revise` stood: the loop's own revision message. */
export function wouldBeFeedback(point: DecisionPoint, verdict: Verdict): string {
  const msgs = revisionMessages(point.proposal.action, feedbackOf(verdict));
  const last = msgs.at(-1);
  return last && 'content' in last ? last.content : '';
}

