import { describe, expect, it } from 'vitest';
import { episodeCost, episodeStats, usageEntries } from './episode-stats.ts';
import { syntheticTrace } from '../../../tests/fixtures/synthetic-traces.ts';
import { parseTraceRecord } from './migrations.ts';
import { EpisodeMetaSchema, type EpisodeMeta } from '../loop/events.ts';
import { formatUsd } from '../pricing.ts';
import type { EpisodeTrace } from './schema.ts';
import { runBenchmark } from '../runs/runner.ts';
import { newRunRecord } from '../runs/record.ts';
import { doubleFactories } from '../../../tests/doubles/runner-doubles.ts';
import { retailRunSpec } from '../../../tests/fixtures/run-specs.ts';

describe('episodeStats', () => {
  it('totals tokens per side and verdict latency', () => {
    const s = episodeStats(syntheticTrace(2)); // intervene mode with one revision
    expect(s).toMatchObject({ steps: 2, proposals: 3, revisedSteps: 1, reviseVerdicts: 1, flagged: 0, verdicts: 2, durationMs: 5000 });
    expect(s.actorUsage).toEqual({ promptTokens: 2500, completionTokens: 75 });
    expect(s.criticUsage).toEqual({ promptTokens: 3000, completionTokens: 25 });
    expect(s.meanVerdictMs).toBe(195);
    expect(s.maxVerdictMs).toBe(210);
  });

  it('has no verdict latency when the critic was off', () => {
    const s = episodeStats(syntheticTrace(0));
    expect(s.verdicts).toBe(0);
    expect(s.meanVerdictMs).toBeUndefined();
    expect(s.criticUsage).toEqual({ promptTokens: 0, completionTokens: 0 });
  });

  it('prices the actor and remote critics; in-browser critics are free', () => {
    const t = syntheticTrace(2); // actor gpt-4o, critic "remote-critic"
    const prices = { 'gpt-4o': { inputPerM: 2.5, outputPerM: 10 }, 'gpt-4o-mini': { inputPerM: 0.15, outputPerM: 0.6 } };
    expect(episodeCost(t, prices).usd).toBeCloseTo((2500 * 2.5 + 75 * 10) / 1e6, 10);
    const local = usageEntries(t).find((u) => u.role === 'critic');
    expect(local).toMatchObject({ local: true, promptTokens: 3000 });
    const remote = structuredClone(t);
    for (const e of remote.timeline) if (e.type === 'step') for (const p of e.step.proposals) if (p.verdict) Object.assign(p.verdict, { critic: 'remote:gpt-4o-mini', engine: 'openai-compatible', model: 'gpt-4o-mini' });
    const c = episodeCost(remote, prices);
    expect(c.unknownModels).toEqual([]);
    expect(c.usd).toBeCloseTo((2500 * 2.5 + 75 * 10 + 3000 * 0.15 + 25 * 0.6) / 1e6, 10);
    expect(episodeCost(remote, {}).unknownModels).toEqual(['gpt-4o', 'gpt-4o-mini']);
  });

  it('prices a stored record of today’s format (version 1, the critic named only by its label) the same after migration', () => {
    const prices = { 'gpt-4o': { inputPerM: 2.5, outputPerM: 10 }, 'gpt-4o-mini': { inputPerM: 0.15, outputPerM: 0.6 } };
    const stored: Record<string, unknown> = JSON.parse(JSON.stringify({ ...syntheticTrace(2), schemaVersion: 1 }));
    const v1 = JSON.stringify(stored).replaceAll('"critic":"remote-critic"', '"critic":"remote:gpt-4o-mini"');
    expect(v1).not.toContain('"engine"');
    const c = episodeCost(parseTraceRecord(JSON.parse(v1), 'stored'), prices);
    expect(c.unknownModels).toEqual([]);
    expect(c.usd).toBeCloseTo((2500 * 2.5 + 75 * 10 + 3000 * 0.15 + 25 * 0.6) / 1e6, 10);
  });
});

describe('the cost of an episode whose actor ran on the device', () => {
  const prices = { 'gpt-4o': { inputPerM: 2.5, outputPerM: 10 } };
  /** syntheticTrace(2) with its actor served as `engine` under `label`. */
  const withActor = (engine: EpisodeMeta['actorEngine'], label: string) => {
    const t = syntheticTrace(2);
    return { ...t, meta: { ...t.meta, actor: label, ...(engine ? { actorEngine: engine } : {}) } };
  };

  it('is free, priced from {engine, model}, not "no price for" its label', () => {
    for (const engine of ['local', 'webllm', 'transformers'] as const) {
      const t = withActor(engine, 'webllm:Qwen2.5-7B-Instruct-q4f16_1-MLC');
      const c = episodeCost(t, prices);
      expect(c.unknownModels).toEqual([]);
      expect(c.usd).toBe(0);
      expect(formatUsd(c)).toBe('$0.0000');
      expect(usageEntries(t).find((u) => u.role === 'actor')).toMatchObject({ local: true, promptTokens: 2500, completionTokens: 75 });
    }
  });

  it('a remote actor is still priced by its model, and a model missing from the table is named', () => {
    expect(episodeCost(withActor('openai-compatible', 'gpt-4o'), prices).usd).toBeCloseTo((2500 * 2.5 + 75 * 10) / 1e6, 10);
    expect(episodeCost(withActor('anthropic', 'claude-x'), prices).unknownModels).toEqual(['claude-x']);
    // A trace recorded before the engine was kept: priced by name, as it was.
    expect(episodeCost(withActor(undefined, 'gpt-4o'), prices).usd).toBeCloseTo((2500 * 2.5 + 75 * 10) / 1e6, 10);
  });

  it('the runner records the engine, so an on-device actor\'s episode is free as its run total is', async () => {
    const traces = new Map<string, EpisodeTrace>();
    const runs = { get: async () => undefined, put: async () => {}, list: async () => [], delete: async () => {} };
    const spec = retailRunSpec({ id: 'local-run', taskIndices: [0], actor: { engine: 'local', model: 'webllm:Qwen2.5-7B-Instruct-q4f16_1-MLC' } });
    const done = await runBenchmark(newRunRecord(spec, 0), { ...doubleFactories(), traces: { put: async (t) => void traces.set(t.id, t) }, runs }, { signal: new AbortController().signal, prices });
    const [trace] = [...traces.values()];
    expect(trace?.meta).toMatchObject({ actor: 'webllm:Qwen2.5-7B-Instruct-q4f16_1-MLC', actorEngine: 'local' });
    if (!trace) throw new Error('no trace');
    const c = episodeCost(trace, prices);
    expect(c).toEqual({ usd: 0, knownUsd: 0, unknownModels: [] });
    // The run's total prices the same actor the same way (its user is GPT-4o: priced, so only the actor is compared).
    expect(done.results['c0-t0-r0']?.usage.find((u) => u.role === 'actor')).toMatchObject({ local: true });
    expect(() => EpisodeMetaSchema.parse({ ...trace.meta, actorEngine: 'remote' })).toThrow();
  });
});
