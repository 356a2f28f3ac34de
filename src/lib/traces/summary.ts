import { z } from 'zod';
import { CriticModeSchema } from '../contracts.ts';
import { environmentName } from '../envs/environment.ts';
import { OutcomeSchema } from '../loop/events.ts';
import { criticHealth } from '../critic/health.ts';
import type { EpisodeTrace } from './schema.ts';

/** How an episode ended, as the review list filters it: scored pass/fail, or why it has no score. */
export const ReviewOutcomeSchema = z.enum(['pass', 'fail', 'unscored', 'running', 'aborted', 'error']);
export type ReviewOutcome = z.infer<typeof ReviewOutcomeSchema>;

/** Bump when the summary shape or its derivation changes: stored summaries are then rebuilt. */
const SUMMARY_VERSION = 3;

/** Search text is capped so 10,000 summaries stay small enough to hold in memory. */
const SEARCH_TEXT_MAX = 16_000;

/**
 * What the episode list needs of one episode, kept in its own store so that
 * opening the list never parses full traces.
 */
export const EpisodeSummarySchema = z.object({
  v: z.literal(SUMMARY_VERSION),
  id: z.string(),
  createdAt: z.number(),
  /** The environment's name (environmentName), which the list shows and filters by. */
  environment: z.string(),
  taskIndex: z.number().int().optional(),
  runId: z.string().optional(),
  configLabel: z.string().optional(),
  mode: CriticModeSchema,
  critic: z.string().optional(),
  actor: z.string(),
  status: z.union([z.literal('running'), OutcomeSchema]),
  outcome: ReviewOutcomeSchema,
  reward: z.number().optional(),
  steps: z.number().int().nonnegative(),
  /** Revise verdicts across all proposals (in monitor mode: would-be interventions). */
  interventions: z.number().int().nonnegative(),
  flagged: z.number().int().nonnegative(),
  /** Critic error verdicts, and those of them that were context overflows (the prompt did not fit the critic's window). */
  criticErrors: z.number().int().nonnegative(),
  contextOverflows: z.number().int().nonnegative(),
  /** The critic failed BLIND_AFTER_ERRORS times in a row: it was not checking anything. */
  criticBlind: z.boolean(),
  /** The first user message, shortened, for telling rows apart at a glance. */
  preview: z.string(),
  /** Lowercased user and agent messages, for full-text search. */
  text: z.string(),
});
export type EpisodeSummary = z.infer<typeof EpisodeSummarySchema>;

export function reviewOutcome(t: Pick<EpisodeTrace, 'status' | 'reward'>): ReviewOutcome {
  if (t.status === 'running' || t.status === 'aborted' || t.status === 'error') return t.status;
  if (t.reward === undefined) return 'unscored';
  return t.reward >= 1 ? 'pass' : 'fail';
}

const PREVIEW_MAX = 120;

function preview(t: EpisodeTrace): string {
  const first = t.timeline.find((e) => e.type === 'user');
  const text = (first?.type === 'user' ? first.content : '').replace(/\s+/g, ' ').trim();
  return text.length > PREVIEW_MAX ? `${text.slice(0, PREVIEW_MAX - 1)}…` : text;
}

export function summarize(t: EpisodeTrace): EpisodeSummary {
  const parts: string[] = [];
  let steps = 0;
  let interventions = 0;
  let flagged = 0;
  for (const entry of t.timeline) {
    if (entry.type === 'user') {
      parts.push(entry.content);
      continue;
    }
    if (entry.type === 'user_tool') {
      parts.push(entry.call.name);
      continue;
    }
    const { step } = entry;
    steps++;
    if (step.flagged) flagged++;
    for (const p of step.proposals) if (p.verdict?.decision === 'revise') interventions++;
    const ex = step.executed;
    if (ex.kind === 'message') parts.push(ex.content);
    else {
      if (ex.content) parts.push(ex.content);
      parts.push(ex.call.name);
    }
  }
  const health = criticHealth(t.timeline.flatMap((e) => (e.type === 'step' ? [e.step] : [])));
  const s: EpisodeSummary = {
    v: SUMMARY_VERSION,
    id: t.id,
    createdAt: t.createdAt,
    environment: environmentName(t.meta.environment),
    mode: t.meta.mode,
    actor: t.meta.actor,
    status: t.status,
    outcome: reviewOutcome(t),
    steps,
    interventions,
    flagged,
    criticErrors: health.errors,
    contextOverflows: health.contextOverflows,
    criticBlind: health.blind,
    preview: preview(t),
    text: parts.join('\n').toLowerCase().slice(0, SEARCH_TEXT_MAX),
  };
  if (t.meta.taskIndex !== undefined) s.taskIndex = t.meta.taskIndex;
  if (t.meta.runId !== undefined) s.runId = t.meta.runId;
  if (t.meta.configLabel !== undefined) s.configLabel = t.meta.configLabel;
  if (t.meta.critic !== undefined) s.critic = t.meta.critic;
  if (t.reward !== undefined) s.reward = t.reward;
  return s;
}
