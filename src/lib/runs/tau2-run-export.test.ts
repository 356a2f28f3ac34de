/**
 * The conversation a τ³ results file gets, rebuilt from a stored episode: tau2's
 * order (the orchestrator's greeting first; the user's own tool calls, telecom,
 * before the message of the turn they were made in; each agent call followed by
 * its result), and no closing line for an agent that stopped.
 */
import { describe, expect, it } from 'vitest';
import { TRACE_SCHEMA_VERSION, type EpisodeTrace } from '../traces/schema.ts';
import type { TimelineEntry } from '../loop/events.ts';
import type { Action } from '../contracts.ts';
import { tau2Trajectory } from './tau2-run-export.ts';

const step = (index: number, executed: Action, observation: string | null): TimelineEntry => ({
  type: 'step',
  step: { index, proposals: [{ attempt: 0, action: executed, latencyMs: 0 }], executed, flagged: false, observation, startedAt: 0, endedAt: 0 },
});

describe('tau2Trajectory', () => {
  it("puts the user's phone actions in their turn, agent calls with their results, and drops the loop's closing line", () => {
    const trace: EpisodeTrace = {
      schemaVersion: TRACE_SCHEMA_VERSION,
      id: 'e',
      createdAt: 0,
      updatedAt: 0,
      meta: { environment: { family: 'tau2', domain: 'telecom' }, actor: 'a', mode: 'off', maxRevisions: 0, failureRule: 'fail-open', userKind: 'simulated' },
      policy: 'p',
      status: 'done',
      timeline: [
        { type: 'user', content: 'My phone has no data.', at: 0 },
        step(0, { kind: 'message', content: 'Please turn airplane mode off.' }, null),
        { type: 'user', content: 'Done, it works now.', at: 0 },
        step(1, { kind: 'tool_call', call: { id: 'c1', name: 'get_customer_by_phone', arguments: { phone_number: '555' } } }, 'Error: Customer not found'),
        step(2, { kind: 'message', content: 'Glad to help. ###STOP###' }, null),
        { type: 'user', content: '(The agent ended the conversation.)', at: 0 },
      ],
      rewardDetails: {
        userActions: [
          { name: 'check_status_bar', arguments: {}, content: 'Airplane mode on', error: false, turn: 1 },
          { name: 'toggle_airplane_mode', arguments: {}, content: 'Airplane mode off', error: false, turn: 1 },
        ],
      },
    };
    const m = tau2Trajectory(trace);
    expect(m.map((x) => (x.role === 'tool' ? `tool(${x.requestor}): ${x.content}` : `${x.role}: ${x.content ?? x.toolCalls?.map((c) => c.name).join(',') ?? ''}`))).toEqual([
      'assistant: Hi! How can I help you today?',
      'user: My phone has no data.',
      'assistant: Please turn airplane mode off.',
      'user: check_status_bar',
      'tool(user): Airplane mode on',
      'user: toggle_airplane_mode',
      'tool(user): Airplane mode off',
      'user: Done, it works now.',
      'assistant: get_customer_by_phone',
      'tool(assistant): Error: Customer not found',
      'assistant: Glad to help. ###STOP###',
    ]);
    const failed = m[9];
    expect(failed?.role === 'tool' && failed.error).toBe(true);
  });
});
