import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { BENCH_QUERIES, benchReviewStore } from './review-store.ts';
import { TraceStore } from '../src/lib/traces/trace-store.ts';

describe('benchReviewStore', () => {
  it('imports, loads and queries every benchmark filter with the expected hit counts', async () => {
    const r = await benchReviewStore(new TraceStore('bench-test'), 1000);
    expect(r.episodes).toBe(1000);
    expect(r.queries.map((q) => q.label)).toEqual(BENCH_QUERIES.map((q) => q.label));
    const hits = Object.fromEntries(r.queries.map((q) => [q.label, q.results]));
    expect(hits['all, newest first']).toBe(1000);
    expect(hits['environment']).toBe(500);
    expect(hits['search one word']).toBe(125);
    for (const q of r.queries) expect(q.medianMs).toBeGreaterThanOrEqual(0);
  });
});
