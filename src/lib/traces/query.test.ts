import { describe, expect, it } from 'vitest';
import { facets, queryEpisodes } from './query.ts';
import { summarize } from './summary.ts';
import { SYNTHETIC_BASE_TIME, syntheticParams, syntheticTrace } from '../../../tests/fixtures/synthetic-traces.ts';

const N = 600;
const all = Array.from({ length: N }, (_, i) => summarize(syntheticTrace(i)));
const idx = (pred: (i: number) => boolean) => Array.from({ length: N }, (_, i) => i).filter(pred);
const id = (i: number) => `ep-${String(i).padStart(6, '0')}`;

describe('queryEpisodes', () => {
  it('sorts newest first by default, whatever the input order', () => {
    const shuffled = [...all].reverse().sort((a, b) => (a.id.charCodeAt(5) % 3) - (b.id.charCodeAt(5) % 3));
    const r = queryEpisodes(shuffled);
    expect(r).toHaveLength(N);
    expect(r[0]?.id).toBe(id(N - 1));
    expect(r.at(-1)?.id).toBe(id(0));
  });

  it('filters by environment, task, mode, critic and outcome together', () => {
    const r = queryEpisodes(all, { environment: 'tau-bench/retail', taskIndex: 10, mode: 'intervene', outcome: 'pass' });
    const want = idx((i) => {
      const p = syntheticParams(i);
      return p.environment === 'retail' && p.taskIndex === 10 && p.mode === 'intervene' && p.reward === 1;
    });
    expect(want.length).toBeGreaterThan(0);
    expect(r.map((s) => s.id).sort()).toEqual(want.map(id).sort());
  });

  it('matches episodes without a critic with critic ""', () => {
    const r = queryEpisodes(all, { critic: '' });
    expect(r).toHaveLength(idx((i) => syntheticParams(i).mode === 'off').length);
    expect(r.every((s) => s.mode === 'off')).toBe(true);
    const tiny = queryEpisodes(all, { critic: 'tiny-critic' });
    expect(tiny).toHaveLength(idx((i) => syntheticParams(i).critic === 'tiny-critic').length);
  });

  it('filters by an inclusive date range', () => {
    const r = queryEpisodes(all, { from: SYNTHETIC_BASE_TIME + 100 * 60_000, to: SYNTHETIC_BASE_TIME + 109 * 60_000, sort: 'oldest' });
    expect(r.map((s) => s.id)).toEqual(idx((i) => i >= 100 && i <= 109).map(id));
  });

  it('searches message text case-insensitively, every term required', () => {
    expect(queryEpisodes(all, { text: 'MARKER123X' }).map((s) => s.id)).toEqual([id(123)]);
    const both = queryEpisodes(all, { text: 'baggage  user_2' });
    const want = idx((i) => syntheticParams(i).word === 'baggage' && `user_${i}`.includes('user_2'));
    expect(both.map((s) => s.id).sort()).toEqual(want.map(id).sort());
    expect(queryEpisodes(all, { text: 'nothing-like-this' })).toEqual([]);
  });

  it('sorts by interventions with a stable tie-break', () => {
    const r = queryEpisodes(all, { sort: 'interventions' });
    const firstZero = r.findIndex((s) => s.interventions === 0);
    expect(firstZero).toBe(idx((i) => syntheticParams(i).intervened).length);
    expect(queryEpisodes(all, { sort: 'interventions' }).map((s) => s.id)).toEqual(r.map((s) => s.id));
  });

  it('lists the facets present', () => {
    const f = facets(all);
    expect(f.environments).toEqual(['tau-bench/airline', 'tau-bench/retail']);
    expect(f.critics).toEqual(['remote-critic', 'tiny-critic']);
    expect(f.tasks).toHaveLength(50);
    expect(f.runIds).toHaveLength(6);
  });
});

describe('summarize', () => {
  it('counts steps, interventions and derives the outcome', () => {
    const i = 2; // intervene mode, intervened, reward 0
    expect(syntheticParams(i).intervened).toBe(true);
    const s = summarize(syntheticTrace(i));
    expect(s).toMatchObject({ steps: 2, interventions: 1, outcome: 'fail', environment: 'tau-bench/retail', taskIndex: 2 });
    expect(summarize(syntheticTrace(0)).outcome).toBe('pass');
    expect(summarize({ ...syntheticTrace(0), status: 'running' }).outcome).toBe('running');
    const { reward: _r, ...unscored } = syntheticTrace(0);
    expect(summarize(unscored).outcome).toBe('unscored');
  });
});

describe('the critic-problem filter', () => {
  it('finds episodes with critic errors, and those with context overflows among them', () => {
    const base = syntheticTrace(3);
    const firstStep = base.timeline.find((e) => e.type === 'step');
    // Three steps, whatever the synthetic trace held.
    if (firstStep) base.timeline = [firstStep, firstStep, firstStep].map((e) => structuredClone(e));
    const withVerdicts = (codes: string[]) => {
      const t = structuredClone(base);
      t.id = `ep-codes-${codes.join('-')}`;
      const steps = t.timeline.flatMap((e) => (e.type === 'step' ? [e.step] : []));
      steps.forEach((step, i) => {
        const code = codes[i] ?? 'ok';
        const first = step.proposals[0];
        if (!first) return;
        step.proposals = [{ ...first, verdict: code === 'ok' ? { decision: 'approve', latencyMs: 1, critic: 'c' } : { decision: 'error', latencyMs: 1, critic: 'c', ...(code === 'none' ? {} : { errorCode: code }) } }];
      });
      return summarize(t);
    };
    const overflow = withVerdicts(['context-overflow', 'context-overflow', 'context-overflow']);
    const failed = withVerdicts(['none', 'ok']);
    const fine = withVerdicts(['ok']);
    expect(overflow).toMatchObject({ criticErrors: 3, contextOverflows: 3, criticBlind: true });
    expect(failed).toMatchObject({ criticErrors: 1, contextOverflows: 0, criticBlind: false });
    const list = [overflow, failed, fine];
    expect(queryEpisodes(list, { criticProblem: 'context-overflow' }).map((s) => s.id)).toEqual([overflow.id]);
    expect(queryEpisodes(list, { criticProblem: 'critic-error' }).map((s) => s.id).sort()).toEqual([overflow.id, failed.id].sort());
  });
});
