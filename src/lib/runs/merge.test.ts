import { describe, expect, it } from 'vitest';
import { doubleFactories } from '../../../tests/doubles/runner-doubles.ts';
import { retailRunSpec } from '../../../tests/fixtures/run-specs.ts';
import { DEFAULT_PRICES } from '../pricing.ts';
import type { TraceSink } from '../traces/recorder.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import { mergeShards, parseShardState, parseTraceLines, type MergeInput, type ShardState } from './merge.ts';
import type { RunSpec } from './plan.ts';
import { newRunRecord, type RunRecord, type RunStore } from './record.ts';
import { configurationResults } from './results.ts';
import { runBenchmark } from './runner.ts';
import { unitsOfShard, type Shard } from './shard.ts';
import { summaryMarkdown, summaryRows } from './summary.ts';
import { planUnits } from './units.ts';

const critic = { engine: 'openai-compatible', model: 'qwen', baseUrl: 'http://127.0.0.1:8/v1' } as const;
const SPEC = retailRunSpec({
  id: 'sweep-1',
  taskIndices: [0, 1],
  trials: 2,
  concurrency: 2,
  configurations: [
    { label: 'actor alone', mode: 'off' },
    { label: 'critic monitor', mode: 'monitor', critic },
    { label: 'critic intervene', mode: 'intervene', critic },
  ],
});

class MemoryRuns implements RunStore {
  last: RunRecord | undefined;
  async get(): Promise<RunRecord | undefined> {
    return this.last;
  }
  async put(r: RunRecord): Promise<void> {
    this.last = r;
  }
  async list(): Promise<RunRecord[]> {
    return this.last ? [this.last] : [];
  }
  async delete(): Promise<void> {}
}

class MemoryTraces implements TraceSink {
  readonly traces = new Map<string, EpisodeTrace>();
  async put(t: EpisodeTrace): Promise<void> {
    this.traces.set(t.id, structuredClone(t));
  }
}

/** Task 1 fails on trial 0 (both of its trial-0 episodes per configuration), whatever shard runs it. */
async function run(spec: RunSpec, shard?: Shard): Promise<MergeInput> {
  const keys = shard ? new Set(unitsOfShard(planUnits(spec), shard).map((u) => u.slot.key)) : undefined;
  const f = doubleFactories();
  const traces = new MemoryTraces();
  let t = 1000;
  const record = await runBenchmark(
    newRunRecord(spec, 1000),
    { ...f, createEnv: async (d, task, split, ctx) => ((env) => Object.assign(env, { reward: () => ({ reward: task === 1 ? 0 : 1, details: {} }) }))(await f.createEnv(d, task, split, ctx)), runs: new MemoryRuns(), traces },
    { signal: new AbortController().signal, prices: DEFAULT_PRICES, now: () => (t += 10), ...(keys ? { only: (s) => keys.has(s.key) } : {}) },
  );
  const state: ShardState = { ...record, ...(shard ? { shard } : {}) };
  return { file: shard ? `shard-${shard.index}.json` : 'single.json', state, traces: traces.traces };
}

/** What must not depend on who ran a unit: everything but timing, ids and the traces' clocks. */
function episodeFacts(r: RunRecord): unknown[] {
  return planUnits(r.spec).map((u) => {
    const x = r.results[u.slot.key];
    return x && { unit: u.id, reward: x.reward, outcome: x.outcome, steps: x.steps, revisions: x.revisions, criticCalls: x.criticCalls, usage: x.usage };
  });
}

describe('mergeShards', () => {
  it('three shards merge into the single run: the same episodes and pass^k; merging is idempotent and order-free', async () => {
    const single = await run(SPEC);
    const shards = await Promise.all([1, 2, 3].map((index) => run({ ...SPEC, id: 'sweep-1' }, { index, count: 3 })));
    expect(shards.map((s) => Object.keys(s.state.results).length)).toEqual([4, 4, 4]);
    expect(shards.every((s) => s.state.status === 'done')).toBe(true);

    const merged = mergeShards(shards);
    expect(merged.missing).toEqual([]);
    expect(merged.record.status).toBe('done');
    expect(episodeFacts(merged.record)).toEqual(episodeFacts(single.state));
    const passK = (r: RunRecord) => configurationResults(r, DEFAULT_PRICES).map((c) => [c.label, c.passK]);
    expect(passK(merged.record)).toEqual(passK(single.state));
    expect(passK(merged.record)[0]).toEqual(['actor alone', { numTrials: 2, numTasks: 2, averageReward: 0.5, passK: [{ k: 1, value: 0.5 }, { k: 2, value: 0.5 }] }]);
    expect(merged.traces.map((t) => t.id)).toEqual(planUnits(SPEC).map((u) => u.slot.episodeId).sort((a, b) => planOrder(a) - planOrder(b)));
    expect(merged.missingTraces).toEqual([]);

    // Idempotent: a file twice, the merge merged again with its shards, any order.
    const again = mergeShards([...shards].reverse().concat(shards[0] ?? shards));
    expect(again.record).toEqual(merged.record);
    expect(again.duplicates).toBe(4);
    const twice = mergeShards([{ file: 'all.json', state: merged.record, traces: new Map(merged.traces.map((t) => [t.id, t])) }, ...shards]);
    expect(twice.record).toEqual(merged.record);
    expect(twice.traces).toEqual(merged.traces);
    expect(twice.duplicates).toBe(12);
  });

  it('reports a missing shard, and the units a shard file lacks', async () => {
    const [a, , c] = await Promise.all([1, 2, 3].map((index) => run(SPEC, { index, count: 3 })));
    if (!a || !c) throw new Error('shards');
    const r = mergeShards([a, c]);
    expect(r.missing).toHaveLength(4);
    expect(r.missingShards).toEqual(['shard 2/3: no file (4 units)']);
    expect(r.record.status).toBe('cancelled');
    const partial: MergeInput = { ...c, state: { ...c.state, results: Object.fromEntries(Object.entries(c.state.results).slice(1)) } };
    expect(mergeShards([a, partial]).missingShards).toEqual(['shard 2/3: no file (4 units)', 'shard 3/3 (shard-3.json): 1 of 4 units missing']);
  });

  it('refuses, naming them: a shard of another spec, a conflicting duplicate, a result outside its shard', async () => {
    const [a, b] = await Promise.all([1, 2].map((index) => run(SPEC, { index, count: 3 })));
    if (!a || !b) throw new Error('shards');
    const other = { ...b, file: 'other.json', state: { ...b.state, spec: { ...b.state.spec, trials: 3 } } };
    expect(() => mergeShards([a, other])).toThrow(/other\.json: a different sweep from shard-1\.json \(differs in trials\)/);

    const key = Object.keys(a.state.results)[0] ?? '';
    const result = a.state.results[key];
    if (!result) throw new Error('result');
    const unit = planUnits(SPEC).find((u) => u.slot.key === key)?.id ?? '';
    const conflicting = { ...a, file: 'rerun.json', state: { ...a.state, results: { ...a.state.results, [key]: { ...result, reward: 1 - result.reward } } } };
    expect(() => mergeShards([a, conflicting])).toThrow(new RegExp(`unit ${unit.replace(/[/.]/g, '\\$&')}: shard-1\\.json and rerun\\.json hold different results \\(reward ${result.reward} vs ${1 - result.reward}\\)`));

    const mislabelled = { ...b, file: 'b.json', state: { ...b.state, shard: { index: 1, count: 3 } } };
    expect(() => mergeShards([mislabelled])).toThrow(/b\.json: unit .* belongs to shard 2\/3, not 1\/3/);
  });
});

describe('parsing shard files', () => {
  it('rejects a corrupt state file whole, naming the file and the field', async () => {
    const a = await run(SPEC, { index: 1, count: 3 });
    const text = JSON.stringify(a.state);
    expect(parseShardState(text, 'a.json').shard).toEqual({ index: 1, count: 3 });
    expect(() => parseShardState(text.slice(0, -20), 'a.json')).toThrow(/a\.json: not valid JSON/);
    const key = Object.keys(a.state.results)[0] ?? '';
    const broken = JSON.parse(text) as { results: Record<string, { reward: unknown }> };
    const r = broken.results[key];
    if (r) r.reward = 'one';
    expect(() => parseShardState(JSON.stringify(broken), 'a.json')).toThrow(new RegExp(`a\\.json: results\\.${key}\\.reward`));
    expect(() => parseShardState(JSON.stringify({ ...a.state, results: { 'c9-t0-r0': a.state.results[key] } }), 'a.json')).toThrow(/results\.c9-t0-r0: not a unit of its run spec/);
  });

  it('reads a traces file last line first, and rejects it whole for one bad line', async () => {
    const a = await run(SPEC, { index: 1, count: 3 });
    const [t1, t2] = [...(a.traces?.values() ?? [])];
    if (!t1 || !t2) throw new Error('traces');
    const lines = [JSON.stringify({ ...t1, reward: 0.5 }), JSON.stringify(t2), JSON.stringify(t1)].join('\n') + '\n';
    const read = parseTraceLines(lines, 'a.traces.jsonl');
    expect(read.get(t1.id)?.reward).toBe(t1.reward);
    expect(read.size).toBe(2);
    expect(() => parseTraceLines(lines + '{"id": 3}\n', 'a.traces.jsonl')).toThrow(/a\.traces\.jsonl line 4/);
  });
});

describe('summary', () => {
  it('renders pass^k as a Markdown table, labels escaped', async () => {
    const single = await run({ ...SPEC, configurations: [{ label: 'a | b', mode: 'off', maxRevisions: 2, failureRule: 'fail-open' }] });
    const md = summaryMarkdown(summaryRows(single.state, DEFAULT_PRICES));
    expect(md.split('\n')[0]).toBe('| configuration | episodes | pass^1 | pass^2 | avg_reward | tokens | cost | critic_errors | context_overflows |');
    expect(md).toContain('| a \\| b | 4/4 | 0.5 | 0.5 | 0.5 |');
  });
});

/** Plan order of an episode id (trial, task, configuration), as merged traces come out. */
function planOrder(episodeId: string): number {
  const m = /c(\d+)-t(\d+)-r(\d+)$/.exec(episodeId);
  return m ? Number(m[3]) * 1000 + Number(m[2]) * 10 + Number(m[1]) : 0;
}
