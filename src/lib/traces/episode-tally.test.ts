import { describe, expect, it } from 'vitest';
import type { Proposal, Step, Verdict } from '../contracts.ts';
import { EpisodeTally } from './episode-tally.ts';

const verdict = (decision: Verdict['decision'], latencyMs: number, extra: Partial<Verdict> = {}): Verdict => ({
  decision,
  latencyMs,
  critic: 'c',
  usage: { promptTokens: 100, completionTokens: 3 },
  ...extra,
});
const proposal = (attempt: number, latencyMs: number, v?: Verdict): Proposal => ({
  attempt,
  action: { kind: 'message', content: `try ${attempt}` },
  latencyMs,
  usage: { promptTokens: 1000, completionTokens: 20 },
  ...(v ? { verdict: v } : {}),
});
const step = (index: number, proposals: Proposal[], extra: Partial<Step> = {}): Step => ({
  index,
  proposals,
  executed: proposals[proposals.length - 1]?.action ?? { kind: 'message', content: '' },
  flagged: false,
  observation: null,
  startedAt: 0,
  endedAt: 1,
  ...extra,
});

describe('EpisodeTally', () => {
  it('counts steps, revisions, calls, latencies, critic failures, tokens and turn rewards', () => {
    const t = new EpisodeTally();
    t.addStep(step(0, [proposal(0, 500, verdict('revise', 200)), proposal(1, 400, verdict('revise', 300)), proposal(2, 300, verdict('approve', 100))], { flagged: true, reward: 0.2 }));
    t.addStep(step(1, [proposal(0, 100, verdict('error', 50, { errorCode: 'context-overflow', usage: undefined }))], { reward: 0 }));
    t.addStep(step(2, [proposal(0, 100, verdict('error', 50, { errorCode: 'timeout' }))]));
    t.addStep(step(3, [proposal(0, 100)]));
    expect({ ...t, meanVerdictMs: t.meanVerdictMs }).toEqual({
      steps: 4,
      proposals: 6,
      revisedSteps: 1,
      revisions: 2,
      reviseVerdicts: 2,
      flagged: 1,
      actorLatencyMs: 1500,
      verdicts: 5,
      criticLatencyMs: 700,
      maxVerdictMs: 300,
      meanVerdictMs: 140,
      criticErrors: 2,
      contextOverflows: 1,
      actorUsage: { promptTokens: 6000, completionTokens: 120 },
      criticUsage: { promptTokens: 400, completionTokens: 12 },
      turnRewards: [0.2, 0],
    });
  });

  it('has no verdict latency without a critic', () => {
    const t = new EpisodeTally();
    t.addStep(step(0, [proposal(0, 10)]));
    expect([t.verdicts, t.meanVerdictMs, t.maxVerdictMs]).toEqual([0, undefined, undefined]);
  });
});
