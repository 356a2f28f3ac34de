import { describe, expect, it } from 'vitest';
import { TRACE_SCHEMA_VERSION, type EpisodeTrace } from '../traces/schema.ts';
import { DEFAULT_PRICES } from '../pricing.ts';
import { CSV_COLUMNS, csvCell, resultsCsv, tauResults } from './results-export.ts';
import { newRunRecord, type SlotResult } from './record.ts';
import { retailRunSpec } from '../../../tests/fixtures/run-specs.ts';

const spec = retailRunSpec({
  id: 'run9',
  taskIndices: [4],
  trials: 2,
  configurations: [
    { label: 'alone', mode: 'off' },
    { label: 'with, "critic"', mode: 'intervene', critic: { engine: 'openai-compatible', model: 'critic-x' } },
  ],
});

function result(configIndex: number, trial: number, reward: number, extra: Partial<SlotResult> = {}): SlotResult {
  return {
    key: `c${configIndex}-t4-r${trial}`,
    episodeId: `run9/c${configIndex}-t4-r${trial}`,
    configIndex,
    taskIndex: 4,
    trial,
    outcome: 'done',
    reward,
    steps: 2,
    revisions: 0,
    flagged: 0,
    usage: [
      { role: 'actor', model: 'gpt-4o', promptTokens: 1000, completionTokens: 100 },
      { role: 'user', model: 'gpt-4o', promptTokens: 10, completionTokens: 1 },
    ],
    actorCalls: 2,
    actorLatencyMs: 300,
    criticCalls: 0,
    criticLatencyMs: 0,
    criticErrors: 0,
    contextOverflows: 0,
    startedAt: 10,
    endedAt: 510,
    ...extra,
  };
}

const record = newRunRecord(spec, 0);
record.results = {
  'c0-t4-r1': result(0, 1, 0, { rewardDetails: { r_actions: false } }),
  'c0-t4-r0': result(0, 0, 1),
  'c1-t4-r0': result(1, 0, 1, {
    usage: [{ role: 'critic', model: 'critic-x', promptTokens: 5, completionTokens: 5 }],
    criticCalls: 2,
    criticLatencyMs: 40,
    criticErrors: 2,
    contextOverflows: 1,
    error: '=HYPERLINK("x")',
  }),
};

const trace: EpisodeTrace = {
  schemaVersion: TRACE_SCHEMA_VERSION,
  id: 'run9/c0-t4-r0',
  createdAt: 0,
  updatedAt: 0,
  meta: { environment: { family: 'tau-bench', domain: 'retail' }, actor: 'gpt-4o', mode: 'off', maxRevisions: 2, failureRule: 'fail-open', userKind: 'simulated' },
  policy: 'POLICY',
  status: 'done',
  timeline: [
    { type: 'user', content: 'Hi, cancel order #W1', at: 1 },
    {
      type: 'step',
      step: {
        index: 0,
        proposals: [{ attempt: 0, action: { kind: 'tool_call', call: { id: 'call_1', name: 'get_order_details', arguments: { order_id: '#W1' } } }, latencyMs: 1 }],
        executed: { kind: 'tool_call', call: { id: 'call_1', name: 'get_order_details', arguments: { order_id: '#W1' } } },
        flagged: false,
        observation: '{"order_id": "#W1"}',
        startedAt: 1,
        endedAt: 2,
      },
    },
    {
      type: 'step',
      step: {
        index: 1,
        proposals: [{ attempt: 0, action: { kind: 'message', content: 'Done.' }, latencyMs: 1 }],
        executed: { kind: 'message', content: 'Done.' },
        flagged: false,
        observation: null,
        startedAt: 2,
        endedAt: 3,
      },
    },
    { type: 'user', content: '###STOP###', at: 4 },
  ],
};

describe('tauResults', () => {
  it("writes tau-bench's results shape per configuration, in slot order", () => {
    const out = tauResults(record, 0, (id) => (id === trace.id ? trace : undefined));
    expect(out.map((r) => Object.keys(r).sort())).toEqual([
      ['info', 'reward', 'task_id', 'traj', 'trial'],
      ['info', 'reward', 'task_id', 'traj', 'trial'],
    ]);
    expect(out.map((r) => [r.task_id, r.trial, r.reward])).toEqual([
      [4, 0, 1],
      [4, 1, 0],
    ]);
    expect(out[1]?.info['reward_info']).toEqual({ r_actions: false });
    expect(out[1]?.traj).toEqual([]); // trace not available
    expect(out[0]?.traj).toEqual([
      { role: 'system', content: 'POLICY' },
      { role: 'user', content: 'Hi, cancel order #W1' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_order_details', arguments: '{"order_id":"#W1"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', name: 'get_order_details', content: '{"order_id": "#W1"}' },
      { role: 'assistant', content: 'Done.', tool_calls: null },
      { role: 'user', content: '###STOP###' },
    ]);
    expect(tauResults(record, 1, () => undefined)).toHaveLength(1);
  });
});

describe('resultsCsv', () => {
  it('writes one row per finished episode with quoted labels, tokens and cost', () => {
    const lines = resultsCsv(record, DEFAULT_PRICES).trimEnd().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(4);
    const header = CSV_COLUMNS as readonly string[];
    const row1 = lines[1]?.split(',') ?? [];
    expect(row1[header.indexOf('reward')]).toBe('1');
    expect(row1[header.indexOf('success')]).toBe('1');
    expect(row1[header.indexOf('actor_prompt_tokens')]).toBe('1000');
    // (1010 * 2.5 + 101 * 10) / 1e6
    expect(row1[header.indexOf('cost_usd')]).toBe('0.003535');
    expect(row1[header.indexOf('episode_ms')]).toBe('500');
    expect(row1[header.indexOf('mean_actor_ms')]).toBe('150');
    expect(lines[3]).toContain(',alone,off,,4,1,0,0,done,');
    // the critic's model has no price: cost cell empty, not 0; hostile text neutralised
    expect(lines[2]).toContain('"with, ""critic""",intervene,critic-x');
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[2]).toMatch(/,,500,/);
    const row2 = lines[2]?.split(',') ?? [];
    // The critic's model name holds a comma-free label here; count columns from the end (errors, overflows, then the error text).
    expect(row2.slice(-3, -1)).toEqual(['2', '1']);
    expect(header.slice(-3)).toEqual(['critic_errors', 'context_overflows', 'error']);
  });

  it('quotes cells per RFC 4180', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(undefined)).toBe('');
  });
});
