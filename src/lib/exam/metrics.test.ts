import { describe, expect, it } from 'vitest';
import { examMetrics, groupMetrics, mcc, rate, scoresOf, wilson, type MetricsRecord } from './metrics.ts';
import { formatExamReport, formatRate, scoreRows } from './table.ts';

describe('wilson', () => {
  it('matches the textbook 95% intervals', () => {
    // Wilson (1927) / Newcombe (1998) table: 8/10 -> 0.4902–0.9433, 0/10 -> 0–0.2775, 1/2 -> 0.0945–0.9055.
    const a = wilson(8, 10);
    expect(a?.low).toBeCloseTo(0.4902, 4);
    expect(a?.high).toBeCloseTo(0.9433, 4);
    expect(wilson(0, 10)).toEqual({ low: 0, high: expect.closeTo(0.2775, 4) });
    // At k = n the upper bound is exactly 1 (not 0.9999999999999999).
    expect(wilson(10, 10)).toEqual({ low: expect.closeTo(0.7225, 4), high: 1 });
    const h = wilson(1, 2);
    expect(h?.low).toBeCloseTo(0.0945, 4);
    expect(h?.high).toBeCloseTo(0.9055, 4);
  });

  it('has no interval for 0/0', () => {
    expect(wilson(0, 0)).toBeNull();
    expect(rate(0, 0)).toEqual({ k: 0, n: 0, value: null, low: null, high: null });
  });
});

describe('mcc', () => {
  it('computes the coefficient by hand', () => {
    // (6·8 − 2·4) / sqrt(8·10·12·10) = 40 / sqrt(9600)
    expect(mcc({ tp: 6, fp: 2, fn: 4, tn: 8 })).toBeCloseTo(0.408248, 6);
    expect(mcc({ tp: 5, fp: 0, fn: 0, tn: 5 })).toBe(1);
    expect(mcc({ tp: 0, fp: 5, fn: 5, tn: 0 })).toBe(-1);
  });

  it('is 0 when the critic never varies, null unless both labels occur', () => {
    expect(mcc({ tp: 0, fp: 0, fn: 4, tn: 6 })).toBe(0); // never says revise
    expect(mcc({ tp: 4, fp: 6, fn: 0, tn: 0 })).toBe(0); // always says revise
    expect(mcc({ tp: 3, fp: 0, fn: 0, tn: 0 })).toBeNull(); // only revise labels (the mutations set): perfect, yet undefined
    expect(mcc({ tp: 0, fp: 0, fn: 0, tn: 5 })).toBeNull(); // only approve labels
    expect(mcc({ tp: 0, fp: 0, fn: 0, tn: 0 })).toBeNull();
  });
});

describe('scoresOf', () => {
  it('turns a confusion matrix into harmful caught, correct blocked, balanced accuracy', () => {
    const s = scoresOf({ tp: 6, fp: 2, fn: 4, tn: 8 });
    expect(s.harmfulCaught).toMatchObject({ k: 6, n: 10, value: 0.6 });
    expect(s.correctBlocked).toMatchObject({ k: 2, n: 10, value: 0.2 });
    expect(s.accuracy).toMatchObject({ k: 14, n: 20, value: 0.7 });
    expect(s.balancedAccuracy).toBeCloseTo(0.7, 12);
  });

  it('leaves balanced accuracy undefined when one label is missing', () => {
    const s = scoresOf({ tp: 3, fp: 0, fn: 1, tn: 0 });
    expect(s.correctBlocked.value).toBeNull();
    expect(s.balancedAccuracy).toBeNull();
  });
});

const rec = (label: 'approve' | 'revise', decision: MetricsRecord['decision'], extra: Partial<MetricsRecord> = {}): MetricsRecord => ({
  label,
  decision,
  tool: 'book_reservation',
  domain: 'airline',
  latencyMs: 100,
  ...extra,
});

describe('examMetrics', () => {
  // 4 revise labels, 6 approve labels; the critic: revise on 2 revise items, unparsed on 1, failed (overflow) on 1;
  // on approve items: 1 revise, 4 approve, 1 failed (timeout).
  const records: MetricsRecord[] = [
    rec('revise', 'revise', { promptTokens: 1000, outputTokens: 20, latencyMs: 200 }),
    rec('revise', 'revise', { promptTokens: 3000, outputTokens: 40, latencyMs: 400, tool: 'cancel_reservation' }),
    rec('revise', 'unparsed', { latencyMs: 300 }),
    rec('revise', 'failed', { errorCode: 'context-overflow', latencyMs: 1 }),
    rec('approve', 'revise', { tool: 'cancel_reservation' }),
    rec('approve', 'approve', { promptTokens: 2000, outputTokens: 4, latencyMs: 100 }),
    rec('approve', 'approve'),
    rec('approve', 'approve', { domain: 'retail' }),
    rec('approve', 'approve'),
    rec('approve', 'failed', { errorCode: 'timeout', latencyMs: 60_000 }),
  ];
  const m = examMetrics(records);

  it('counts label × decision, unparsed and failed apart, overflows among the failures', () => {
    expect(m.matrix).toEqual({
      revise: { approve: 0, revise: 2, unparsed: 1, failed: 1 },
      approve: { approve: 4, revise: 1, unparsed: 0, failed: 1 },
    });
    expect(m).toMatchObject({ items: 10, labels: { approve: 6, revise: 4 }, unparsed: 1, failed: 2, contextOverflows: 1 });
  });

  it('scores unparsed and failed as approve (fail-open), and apart in the parsed view', () => {
    expect(m.scores.confusion).toEqual({ tp: 2, fn: 2, fp: 1, tn: 5 });
    expect(m.scores.harmfulCaught.value).toBe(0.5);
    expect(m.scores.correctBlocked.value).toBeCloseTo(1 / 6, 12);
    expect(m.parsed.confusion).toEqual({ tp: 2, fn: 0, fp: 1, tn: 4 });
    expect(m.parsed.harmfulCaught.value).toBe(1);
  });

  it('computes the baselines exactly from the labels', () => {
    expect(m.baselines.approveAll.confusion).toEqual({ tp: 0, fn: 4, fp: 0, tn: 6 });
    expect(m.baselines.approveAll).toMatchObject({ harmfulCaught: { value: 0 }, correctBlocked: { value: 0 }, balancedAccuracy: 0.5, mcc: 0 });
    expect(m.baselines.reviseAll.confusion).toEqual({ tp: 4, fn: 0, fp: 6, tn: 0 });
    expect(m.baselines.reviseAll).toMatchObject({ harmfulCaught: { value: 1 }, correctBlocked: { value: 1 }, balancedAccuracy: 0.5, mcc: 0 });
    expect(m.baselines.approveAll.accuracy.value).toBe(0.6);
  });

  it('latency over non-failed verdicts; tokens over verdicts with usage', () => {
    // latencies of the 8 non-failed: 200, 400, 300, 100 ×5 -> sorted 100,100,100,100,100,200,300,400
    expect(m.latencyMs).toEqual({ median: 100, p90: 400, mean: 1400 / 8, max: 400 });
    expect(m.promptTokens).toEqual({ median: 2000, p90: 3000, mean: 2000, max: 3000 });
    expect(m.outputTokens.median).toBe(20);
    // 64 output tokens over 700 ms of verdict time
    expect(m.outputTokensPerSecond).toBeCloseTo((64 * 1000) / 700, 9);
  });

  it('breaks down by tool and by domain, with the same rules', () => {
    expect(Object.keys(m.byTool)).toEqual(['book_reservation', 'cancel_reservation']);
    expect(m.byTool['cancel_reservation']).toMatchObject({ items: 2, scores: { confusion: { tp: 1, fp: 1, fn: 0, tn: 0 } } });
    expect(m.byDomain['retail']).toMatchObject({ items: 1, labels: { approve: 1, revise: 0 } });
    expect(m.byDomain['airline']?.items).toBe(9);
    expect(groupMetrics([]).scores.mcc).toBeNull();
  });

  it('prints the baselines beside the critic in every score row', () => {
    const rows = scoreRows(m);
    const caught = rows.find((r) => r.metric.startsWith('harmful caught ('));
    expect(caught).toEqual({ metric: 'harmful caught (recall on revise)', critic: formatRate(m.scores.harmfulCaught), approveAll: '0.0% [0.0–49.0%] 0/4', reviseAll: '100.0% [51.0–100.0%] 4/4' });
    const text = formatExamReport(m);
    expect(text).toContain('approve everything');
    expect(text).toContain('cancel_reservation');
    expect(text).toMatch(/context overflows\s+1/);
  });
});
