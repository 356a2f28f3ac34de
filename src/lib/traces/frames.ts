import type { Action, Verdict } from '../contracts.ts';
import type { EpisodeTrace } from './schema.ts';
import { reviewOutcome, type ReviewOutcome } from './summary.ts';

/** One beat of a replay: presentation mode shows them one key press at a time. */
type Frame =
  | { kind: 'user'; content: string }
  /** A tool call the user made on their own side (τ³ telecom's phone). */
  | { kind: 'user_tool'; name: string; arguments: Record<string, unknown>; observation: string; error: boolean }
  /** A proposal the critic sent back (intervene mode). */
  | { kind: 'rejected'; action: Action; verdict: Verdict | undefined; attempt: number }
  | { kind: 'feedback'; text: string; critic: string | undefined; latencyMs: number | undefined }
  | { kind: 'action'; action: Action; observation: string | null; revised: boolean; flagged: boolean; verdict: Verdict | undefined }
  | { kind: 'end'; outcome: ReviewOutcome; reward: number | undefined };

/**
 * The episode as a sequence of frames; every intervention becomes rejected →
 * feedback → revised action. User replies come from the timeline's user
 * entries (the loop records them there, not in `step.userReply`).
 */
export function presentationFrames(t: EpisodeTrace): Frame[] {
  const out: Frame[] = [];
  for (const e of t.timeline) {
    if (e.type === 'user') {
      out.push({ kind: 'user', content: e.content });
      continue;
    }
    if (e.type === 'user_tool') {
      out.push({ kind: 'user_tool', name: e.call.name, arguments: e.call.arguments, observation: e.observation, error: e.error });
      continue;
    }
    const { step } = e;
    const rejected = step.proposals.slice(0, -1);
    for (const p of rejected) {
      out.push({ kind: 'rejected', action: p.action, verdict: p.verdict, attempt: p.attempt });
      out.push({
        kind: 'feedback',
        text: p.verdict?.feedback ?? p.verdict?.error ?? 'The critic objected.',
        critic: p.verdict?.critic,
        latencyMs: p.verdict?.latencyMs,
      });
    }
    out.push({
      kind: 'action',
      action: step.executed,
      observation: step.observation,
      revised: rejected.length > 0,
      flagged: step.flagged,
      verdict: step.proposals.at(-1)?.verdict,
    });
  }
  out.push({ kind: 'end', outcome: reviewOutcome(t), reward: t.reward });
  return out;
}
