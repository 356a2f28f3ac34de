import { describe, expect, it } from 'vitest';
import { episodeStats } from './stats.ts';
import { syntheticTrace } from './synthetic.ts';

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
});
