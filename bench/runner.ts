/**
 * Speed of the benchmark runner itself, with instant model doubles: what the
 * runner adds per episode (loop, trace recording, run-record persistence),
 * and how long the results table takes to derive for a full-size run.
 */
import { DEFAULT_PRICES } from '../src/lib/pricing.ts';
import { parseRunSpec } from '../src/lib/runs/plan.ts';
import { newRunRecord, type RunRecord, type RunStore, type SlotResult } from '../src/lib/runs/record.ts';
import { configurationResults } from '../src/lib/runs/results.ts';
import { runBenchmark } from '../src/lib/runs/runner.ts';
import { doubleFactories } from '../tests/doubles/runner-doubles.ts';
import { retailRunSpec } from '../tests/fixtures/run-specs.ts';

export interface RunnerBenchResult {
  episodes: number;
  /** Wall time per episode with instant models, concurrency 4, in-memory stores. */
  perEpisodeMs: number;
  /** Deriving pass^k, tokens, cost and latency for 115 tasks × 8 trials × 3 configurations. */
  resultsMs: number;
}

class MemoryRunStore implements RunStore {
  readonly runs = new Map<string, RunRecord>();
  async get(id: string) {
    return this.runs.get(id);
  }
  async put(r: RunRecord) {
    this.runs.set(r.spec.id, r);
  }
  async list() {
    return [...this.runs.values()];
  }
  async delete(id: string) {
    this.runs.delete(id);
  }
}

export async function benchRunner(tasks = 25, trials = 4): Promise<RunnerBenchResult> {
  const spec = retailRunSpec({
    id: 'bench',
    taskIndices: Array.from({ length: tasks }, (_, i) => i),
    trials,
    concurrency: 4,
    configurations: [
      { label: 'alone', mode: 'off' },
      { label: 'critic', mode: 'intervene', critic: { engine: 'local', model: 'c' } },
    ],
  });
  const traces = new Map<string, unknown>();
  const started = performance.now();
  const rec = await runBenchmark(
    newRunRecord(spec, 0),
    { ...doubleFactories(), runs: new MemoryRunStore(), traces: { put: async (t) => void traces.set(t.id, t) } },
    { signal: new AbortController().signal, prices: DEFAULT_PRICES },
  );
  const episodes = Object.keys(rec.results).length;
  const perEpisodeMs = (performance.now() - started) / episodes;

  const big = newRunRecord(
    parseRunSpec({
      ...spec,
      taskIndices: Array.from({ length: 115 }, (_, i) => i),
      trials: 8,
      configurations: [...spec.configurations, { label: 'monitor', mode: 'monitor', critic: { engine: 'local', model: 'c' } }],
    }),
    0,
  );
  const sample = Object.values(rec.results)[0];
  if (!sample) throw new Error('no episode ran');
  for (let c = 0; c < 3; c++) {
    for (let t = 0; t < 115; t++) {
      for (let r = 0; r < 8; r++) {
        const key = `c${c}-t${t}-r${r}`;
        const result: SlotResult = { ...sample, key, configIndex: c, taskIndex: t, trial: r, reward: (t + r) % 3 === 0 ? 0 : 1 };
        big.results[key] = result;
      }
    }
  }
  const t0 = performance.now();
  configurationResults(big, DEFAULT_PRICES);
  return { episodes, perEpisodeMs, resultsMs: performance.now() - t0 };
}
