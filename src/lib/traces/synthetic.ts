import type { CriticMode, Step } from '../types.ts';
import { TRACE_SCHEMA_VERSION, type EpisodeTrace } from './schema.ts';

/** Deterministic fake episodes for tests and the review benchmark; nothing random, so results are checkable. */
export const SYNTHETIC_BASE_TIME = Date.UTC(2026, 0, 1);
const MODES: readonly CriticMode[] = ['off', 'monitor', 'intervene'];
const WORDS = ['refund', 'exchange', 'baggage', 'upgrade', 'cancel', 'address', 'voucher', 'delay'];

/** The parameters `syntheticTrace(i)` derives from i, so a test can compute expected results. */
export function syntheticParams(i: number) {
  const mode = MODES[i % 3] ?? 'off';
  return {
    environment: i % 2 === 0 ? 'retail' : 'airline',
    taskIndex: i % 50,
    mode,
    critic: mode === 'off' ? undefined : i % 4 < 2 ? 'tiny-critic' : 'remote-critic',
    reward: i % 5 === 0 ? 1 : 0,
    createdAt: SYNTHETIC_BASE_TIME + i * 60_000,
    word: WORDS[i % WORDS.length] ?? 'refund',
    intervened: mode === 'intervene' && i % 2 === 0,
  };
}

export function syntheticTrace(i: number): EpisodeTrace {
  const p = syntheticParams(i);
  const t0 = p.createdAt;
  const call = { id: `call-${i}`, name: 'get_user_details', arguments: { user_id: `user_${i}` } };
  const proposals: Step['proposals'] = [];
  if (p.intervened) {
    proposals.push({
      attempt: 0,
      action: { kind: 'tool_call', call: { ...call, name: 'cancel_reservation' } },
      latencyMs: 900,
      usage: { promptTokens: 1200, completionTokens: 40 },
      verdict: {
        decision: 'revise',
        feedback: 'Confirm the user identity before cancelling.',
        latencyMs: 210,
        critic: p.critic ?? 'critic',
        usage: { promptTokens: 1500, completionTokens: 20 },
      },
    });
  }
  proposals.push({
    attempt: proposals.length,
    action: { kind: 'tool_call', call },
    latencyMs: 800,
    usage: { promptTokens: 1300, completionTokens: 35 },
    ...(p.mode === 'off'
      ? {}
      : { verdict: { decision: 'approve' as const, latencyMs: 180, critic: p.critic ?? 'critic', usage: { promptTokens: 1500, completionTokens: 5 } } }),
  });
  const toolStep: Step = {
    index: 0,
    proposals,
    executed: { kind: 'tool_call', call },
    flagged: false,
    observation: JSON.stringify({ user_id: `user_${i}`, name: { first_name: 'Ada', last_name: `L${i}` } }),
    startedAt: t0 + 1000,
    endedAt: t0 + 3000,
  };
  const reply = `I found your account, user_${i}. Your ${p.word} request is being processed.`;
  const msgStep: Step = {
    index: 1,
    proposals: [{ attempt: 0, action: { kind: 'message', content: reply }, latencyMs: 700 }],
    executed: { kind: 'message', content: reply },
    flagged: false,
    observation: null,
    startedAt: t0 + 3000,
    endedAt: t0 + 4000,
  };
  const trace: EpisodeTrace = {
    schemaVersion: TRACE_SCHEMA_VERSION,
    id: `ep-${String(i).padStart(6, '0')}`,
    createdAt: t0,
    updatedAt: t0 + 5000,
    meta: {
      environment: p.environment,
      taskIndex: p.taskIndex,
      runId: `run-${Math.floor(i / 100)}`,
      actor: 'gpt-4o',
      mode: p.mode,
      maxRevisions: 2,
      failureRule: 'fail-open',
      userKind: 'simulated',
      ...(p.critic ? { critic: p.critic } : {}),
    },
    policy: 'Follow the airline and retail policies.',
    timeline: [
      { type: 'user', content: `Hi, I need help with a ${p.word}. My id is user_${i}, ticket marker${i}x.`, at: t0 },
      { type: 'step', step: toolStep },
      { type: 'step', step: msgStep },
      { type: 'user', content: '###STOP###', at: t0 + 4500 },
    ],
    status: 'done',
    endedAt: t0 + 5000,
    reward: p.reward,
  };
  return trace;
}
