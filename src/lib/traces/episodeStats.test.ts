import { describe, expect, it } from 'vitest';
import { episodeCost, episodeStats, usageEntries } from './episodeStats.ts';
import { syntheticTrace } from '../../../tests/fixtures/synthetic-traces.ts';
import { parseTraceRecord } from './migrations.ts';

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
    for (const e of remote.timeline) if (e.type === 'step') for (const p of e.step.proposals) if (p.verdict) Object.assign(p.verdict, { critic: 'remote:gpt-4o-mini', engine: 'remote', model: 'gpt-4o-mini' });
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
