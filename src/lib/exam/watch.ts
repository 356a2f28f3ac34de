/**
 * Watching a real episode: its user turns and every actor proposal in order,
 * each proposal with exactly what the critic sees (decisionPoints, as the loop
 * built it) and, where the proposal is an exam item, that item (its label and why).
 */
import { decisionPoints, type DecisionPoint } from '../data/points.ts';
import { revisionMessages } from '../loop/history.ts';
import { feedbackOf } from '../loop/run-episode.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import type { ToolSchema, Verdict } from '../contracts.ts';
import type { ExamItem } from './schema.ts';

/** One beat of the watched episode: a user turn, or an actor proposal the critic judges. */
export type WatchFrame =
  | { kind: 'user'; content: string }
  | { kind: 'proposal'; point: DecisionPoint; observation: string | null; item: ExamItem | undefined }
  | { kind: 'end'; reward: number | undefined };

/**
 * The frames of an episode imported from a tau-bench results file: its user
 * turns and each proposal, with the exam item cut from it where there is one.
 * Items name their proposal by its message's index in the original `traj`
 * (call ids repeat within the published episodes): the policy is message 0,
 * a user turn one message, a tool call two (the call and its result), a
 * message to the user one.
 */
export function watchFrames(trace: EpisodeTrace, tools: ToolSchema[], items: readonly ExamItem[]): WatchFrame[] {
  const byMessage = new Map<number, ExamItem>();
  for (const it of items) {
    if (it.source.episodeId !== trace.id || it.source.mutation || it.source.messageIndex === undefined) continue;
    byMessage.set(it.source.messageIndex, it);
  }
  const points = decisionPoints(trace, () => tools);
  const out: WatchFrame[] = [];
  let p = 0;
  let message = trace.policy ? 1 : 0;
  for (const e of trace.timeline) {
    if (e.type === 'user') {
      out.push({ kind: 'user', content: e.content });
      message++;
      continue;
    }
    // The user's own tool calls (τ³ telecom) are not in the agent's messages.
    if (e.type === 'user_tool') continue;
    for (const _ of e.step.proposals) {
      const point = points[p++];
      if (point) out.push({ kind: 'proposal', point, observation: point.executed ? e.step.observation : null, item: byMessage.get(message) });
    }
    message += e.step.executed.kind === 'tool_call' ? 2 : 1;
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

