/**
 * Exports of a run: tau-bench's results JSON (a list of
 * {task_id, reward, info, traj, trial}, one file per configuration, as the
 * original writes one per agent run) and a CSV with one row per episode.
 */
import { historyFromTimeline } from '../loop/history.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import type { ChatMessage } from '../contracts.ts';
import { costOf, type PriceTable } from '../pricing.ts';
import type { UsageEntry } from '../usage.ts';
import { isSuccess } from './passk.ts';
import { planSlots } from './plan.ts';
import type { RunRecord, SlotResult } from './record.ts';

/** A message of tau-bench's `traj`, in the OpenAI chat format the original stores. */
type TauTrajMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | {
      role: 'assistant';
      content: string | null;
      tool_calls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> | null;
    }
  | { role: 'tool'; tool_call_id: string; name: string; content: string };

export interface TauResult {
  task_id: number;
  reward: number;
  info: Record<string, unknown>;
  traj: TauTrajMessage[];
  trial: number;
}

function toTauMessage(m: ChatMessage): TauTrajMessage {
  switch (m.role) {
    case 'user':
      return { role: 'user', content: m.content };
    case 'tool':
      return { role: 'tool', tool_call_id: m.toolCallId, name: m.name, content: m.content };
    case 'assistant': {
      const calls = m.toolCalls?.length
        ? m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.arguments) } }))
        : null;
      return { role: 'assistant', content: calls && !m.content ? null : m.content, tool_calls: calls };
    }
  }
}

/** The trajectory as tau-bench's tool-calling agent keeps it: the policy as system message, then the chat. */
export function tauTraj(trace: EpisodeTrace): TauTrajMessage[] {
  return [{ role: 'system', content: trace.policy }, ...historyFromTimeline(trace.timeline).map(toTauMessage)];
}

/**
 * tau-bench results for one configuration, in slot order. `traceOf` finds an
 * episode's trace; an episode whose trace is gone exports an empty traj.
 */
export function tauResults(record: RunRecord, configIndex: number, traceOf: (episodeId: string) => EpisodeTrace | undefined): TauResult[] {
  const config = record.spec.configurations[configIndex];
  const out: TauResult[] = [];
  for (const slot of planSlots(record.spec)) {
    if (slot.configIndex !== configIndex) continue;
    const r = record.results[slot.key];
    if (!r) continue;
    const trace = traceOf(r.episodeId);
    out.push({
      task_id: r.taskIndex,
      reward: r.reward,
      info: {
        reward_info: r.rewardDetails ?? null,
        outcome: r.outcome,
        ...(r.error ? { error: r.error } : {}),
        episode_id: r.episodeId,
        config_label: config?.label ?? null,
        mode: config?.mode ?? null,
        steps: r.steps,
        revisions: r.revisions,
        flagged: r.flagged,
        usage: r.usage,
      },
      traj: trace ? tauTraj(trace) : [],
      trial: r.trial,
    });
  }
  return out;
}

export const CSV_COLUMNS = [
  'run_id',
  'config',
  'mode',
  'critic',
  'task_id',
  'trial',
  'reward',
  'success',
  'outcome',
  'steps',
  'revisions',
  'flagged',
  'actor_prompt_tokens',
  'actor_completion_tokens',
  'user_prompt_tokens',
  'user_completion_tokens',
  'critic_prompt_tokens',
  'critic_completion_tokens',
  'judge_prompt_tokens',
  'judge_completion_tokens',
  'cost_usd',
  'episode_ms',
  'mean_actor_ms',
  'mean_critic_ms',
  'critic_errors',
  'context_overflows',
  'error',
] as const;

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs model-made text as a formula. */
export function csvCell(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function tokens(r: SlotResult, role: UsageEntry['role']): [number, number] {
  let p = 0;
  let c = 0;
  for (const u of r.usage) {
    if (u.role !== role) continue;
    p += u.promptTokens;
    c += u.completionTokens;
  }
  return [p, c];
}

/** One row per finished episode, in slot order. */
export function resultsCsv(record: RunRecord, prices: PriceTable): string {
  const lines: string[] = [CSV_COLUMNS.join(',')];
  for (const slot of planSlots(record.spec)) {
    const r = record.results[slot.key];
    if (!r) continue;
    const c = record.spec.configurations[r.configIndex];
    const cost = costOf(r.usage, prices).usd;
    const row: Array<string | number | undefined> = [
      record.spec.id,
      c?.label,
      c?.mode,
      c?.mode === 'off' ? undefined : c?.critic?.model,
      r.taskIndex,
      r.trial,
      r.reward,
      isSuccess(r.reward) ? 1 : 0,
      r.outcome,
      r.steps,
      r.revisions,
      r.flagged,
      ...tokens(r, 'actor'),
      ...tokens(r, 'user'),
      ...tokens(r, 'critic'),
      ...tokens(r, 'judge'),
      cost === undefined ? undefined : cost.toFixed(6),
      r.endedAt - r.startedAt,
      r.actorCalls ? Math.round(r.actorLatencyMs / r.actorCalls) : undefined,
      r.criticCalls ? Math.round(r.criticLatencyMs / r.criticCalls) : undefined,
      r.criticErrors,
      r.contextOverflows,
      r.error,
    ];
    lines.push(row.map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}
