import { parseJsonl, toJsonl } from '../src/lib/traces/jsonl.ts';
import { queryEpisodes, type TraceQuery } from '../src/lib/traces/query.ts';
import type { TraceStore } from '../src/lib/traces/trace-store.ts';
import { syntheticTrace } from '../tests/fixtures/synthetic-traces.ts';
import type { EpisodeSummary } from '../src/lib/traces/summary.ts';
import { median } from '../src/lib/percentiles.ts';

export interface ReviewTiming {
  label: string;
  query: TraceQuery;
  results: number;
  /** Median of the runs, in ms. */
  medianMs: number;
  maxMs: number;
}

/** The filters and searches the review benchmark times: one of each kind the list offers. */
export const BENCH_QUERIES: ReadonlyArray<{ label: string; query: TraceQuery }> = [
  { label: 'all, newest first', query: {} },
  { label: 'environment', query: { environment: 'tau-bench/retail' } },
  { label: 'env + task + mode + outcome', query: { environment: 'tau-bench/airline', taskIndex: 7, mode: 'intervene', outcome: 'fail' } },
  { label: 'critic, sorted by interventions', query: { critic: 'tiny-critic', sort: 'interventions' } },
  { label: 'date range', query: { from: Date.UTC(2026, 0, 2), to: Date.UTC(2026, 0, 4) } },
  { label: 'search one word', query: { text: 'baggage' } },
  { label: 'search two words, rare', query: { text: 'marker4321x user_4321' } },
];

/**
 * Times filter and search over summaries (the list's hot path), with a clock
 * passed in so it runs in Node and in the browser alike.
 */
export function benchReview(summaries: readonly EpisodeSummary[], runs = 7, now: () => number = () => performance.now()): ReviewTiming[] {
  return BENCH_QUERIES.map(({ label, query }) => {
    const times: number[] = [];
    let results = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = now();
      results = queryEpisodes(summaries, query).length;
      times.push(now() - t0);
    }
    return { label, query, results, medianMs: median(times) ?? 0, maxMs: Math.max(0, ...times) };
  });
}

export function formatTimings(timings: readonly ReviewTiming[]): string {
  return timings.map((t) => `${t.label.padEnd(34)} ${String(t.results).padStart(6)} hits  median ${t.medianMs.toFixed(1)} ms  max ${t.maxMs.toFixed(1)} ms`).join('\n');
}

export interface ReviewStoreBench {
  episodes: number;
  /** Parsing and validating the JSONL text, every line. */
  parseMs: number;
  /** Writing traces and summaries in one transaction. */
  importMs: number;
  /** Opening the list: reading and validating every summary. */
  loadSummariesMs: number;
  queries: ReviewTiming[];
}

/** The whole review path on a real store: import `n` synthetic episodes, load the list, filter and search. Clears `store` first. */
export async function benchReviewStore(store: TraceStore, n = 10_000, now: () => number = () => performance.now()): Promise<ReviewStoreBench> {
  await store.clear();
  const text = toJsonl(Array.from({ length: n }, (_, i) => syntheticTrace(i)));
  let t = now();
  const parsed = parseJsonl(text);
  const parseMs = now() - t;
  t = now();
  await store.importMany(parsed.traces);
  const importMs = now() - t;
  t = now();
  const summaries = await store.summaries();
  const loadSummariesMs = now() - t;
  return { episodes: summaries.length, parseMs, importMs, loadSummariesMs, queries: benchReview(summaries, 7, now) };
}
