/**
 * Trace writes at real length: the longest of tau-bench's 200 historical
 * GPT-4o airline episodes (../shared/tau-bench/historical, every message and
 * tool output as the model exchanged them) replayed event by event through
 * the TraceRecorder into a sink (IndexedDB in Chromium: bench/pages/trace-write.html),
 * timing each step's write until it is durable.
 */
import type { LoopEvent } from '../src/lib/loop/events.ts';
import { percentile } from '../src/lib/percentiles.ts';
import { TraceRecorder, type TraceSink } from '../src/lib/traces/recorder.ts';
import type { EpisodeTrace } from '../src/lib/traces/schema.ts';
import { parseTauResults } from '../src/lib/traces/tau-results.ts';

/** The historical episode with the most steps (ties: the first in the file). */
export function longestHistoricalEpisode(resultsText: string): EpisodeTrace {
  const steps = (t: EpisodeTrace) => t.timeline.filter((e) => e.type === 'step').length;
  const [first, ...rest] = parseTauResults(resultsText, { now: 0 }).episodes;
  if (!first) throw new Error('the historical results file holds no episode');
  return rest.reduce((best, t) => (steps(t) > steps(best) ? t : best), first);
}

/** The loop events that record `trace` again, in order. */
export function eventsOf(trace: EpisodeTrace, episodeId: string): LoopEvent[] {
  const events: LoopEvent[] = [{ type: 'episode_start', episodeId, at: trace.createdAt, meta: trace.meta, policy: trace.policy }];
  for (const e of trace.timeline) events.push(e.type === 'step' ? { type: 'step', step: e.step } : e);
  events.push({ type: 'episode_end', at: trace.endedAt ?? trace.updatedAt, outcome: 'done', ...(trace.reward !== undefined ? { reward: trace.reward } : {}) });
  return events;
}

export interface TraceWriteBench {
  episode: string;
  steps: number;
  /** The whole trace's size as JSON at the end, KB. */
  traceKB: number;
  rounds: number;
  /** Per step write (record() of the step event until durable), over every step of every round, ms. */
  medianMs: number;
  p90Ms: number;
  /** The 10th percentile: the write's own cost when the machine is busy with other work (the median then measures the load). */
  p10Ms: number;
  /** Median of the last 5 steps of each round (the largest traces). */
  lateMedianMs: number;
}

/** Records `trace` `rounds` times (each as a new episode id) into `sink`, timing every step's write. */
export async function benchTraceWrite(trace: EpisodeTrace, sink: TraceSink, rounds = 5): Promise<TraceWriteBench> {
  const all: number[] = [];
  const late: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const recorder = new TraceRecorder(sink);
    const times: number[] = [];
    for (const e of eventsOf(trace, `trace-write-bench-${Date.now()}-${r}`)) {
      const t0 = performance.now();
      await recorder.record(e);
      if (e.type === 'step') times.push(performance.now() - t0);
    }
    all.push(...times);
    late.push(...times.slice(-5));
  }
  return {
    episode: trace.id,
    steps: trace.timeline.filter((e) => e.type === 'step').length,
    traceKB: JSON.stringify(trace).length / 1024,
    rounds,
    medianMs: percentile(all, 50) ?? NaN,
    p90Ms: percentile(all, 90) ?? NaN,
    p10Ms: percentile(all, 10) ?? NaN,
    lateMedianMs: percentile(late, 50) ?? NaN,
  };
}
