import { DEFAULT_PRICES, PriceTableSchema, type PriceTable } from '../../lib/pricing.ts';
import { resultsCsv, tauResults } from '../../lib/runs/results-export.ts';
import { userBenchExport } from '../../lib/runs/userbench-export.ts';
import { tau2RunFiles, type Tau2RunFiles } from '../../lib/runs/tau2-run-export.ts';
import type { Tau2PackLoader } from '../../lib/runs/tau2-factories.ts';
import type { RunSpec } from '../../lib/runs/plan.ts';
import { newRunRecord, type RunRecord, type RunStore } from '../../lib/runs/record.ts';
import { configurationResults, type ConfigurationResult } from '../../lib/runs/results.ts';
import { runBenchmark, type BenchFactories, type BenchProgress, progressOf } from '../../lib/runs/runner.ts';
import { errorMessage } from '../../lib/errors.ts';
import { loadStored, saveStored } from './stored.ts';
import type { TraceSink } from '../../lib/traces/recorder.ts';
import type { EpisodeTrace } from '../../lib/traces/schema.ts';

const PRICES_KEY = 'spotter.bench.prices.v1';

const loadPrices = (storage: Storage | undefined): PriceTable => loadStored(storage, PRICES_KEY, PriceTableSchema, DEFAULT_PRICES);

interface BenchmarkDeps {
  runs: RunStore;
  traces: TraceSink & { get(id: string): Promise<EpisodeTrace | undefined> };
  storage?: Storage | undefined;
  now?: () => number;
}

/**
 * The benchmark tab's state: stored runs, the run in view, live progress.
 * A run whose stored status is still 'running' after a reload was
 * interrupted; `resume` runs only its missing slots.
 */
export class BenchmarkState {
  runs = $state.raw<RunRecord[]>([]);
  active = $state.raw<RunRecord | undefined>(undefined);
  progress = $state.raw<BenchProgress | undefined>(undefined);
  busy = $state(false);
  error = $state<string | undefined>(undefined);
  prices = $state<PriceTable>({});
  #controller: AbortController | undefined;

  readonly results: ConfigurationResult[] = $derived(this.active ? configurationResults(this.active, this.prices) : []);

  constructor(private readonly deps: BenchmarkDeps) {
    this.prices = loadPrices(deps.storage);
  }

  get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  async refresh(): Promise<void> {
    try {
      this.runs = await this.deps.runs.list();
      if (!this.active && this.runs[0]) this.select(this.runs[0]);
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  select(record: RunRecord): void {
    if (this.busy) return;
    this.active = record;
    this.progress = progressOf(record, $state.snapshot(this.prices), { running: 0, elapsedMs: 0, etaMs: undefined });
  }

  /** The stored run was cut off (reload, crash) or cancelled and still has slots to run. */
  canResume(record: RunRecord | undefined): boolean {
    if (!record || this.busy) return false;
    return record.status === 'running' || record.status === 'cancelled' || record.status === 'error' || record.status === 'pending';
  }

  async start(spec: RunSpec, factories: BenchFactories): Promise<void> {
    const record = newRunRecord(spec, this.now);
    await this.#run(record, factories, false);
  }

  async resume(record: RunRecord, factories: BenchFactories): Promise<void> {
    await this.#run(record, factories, true);
  }

  cancel(): void {
    this.#controller?.abort();
  }

  async delete(record: RunRecord): Promise<void> {
    if (this.busy && this.active?.spec.id === record.spec.id) return;
    await this.deps.runs.delete(record.spec.id);
    if (this.active?.spec.id === record.spec.id) {
      this.active = undefined;
      this.progress = undefined;
    }
    await this.refresh();
  }

  setPrice(model: string, inputPerM: number, outputPerM: number): void {
    if (!model || !(inputPerM >= 0) || !(outputPerM >= 0)) return;
    this.prices[model] = { inputPerM, outputPerM };
    this.#savePrices();
  }

  removePrice(model: string): void {
    delete this.prices[model];
    this.#savePrices();
  }

  #savePrices(): void {
    saveStored(this.deps.storage, PRICES_KEY, $state.snapshot(this.prices));
  }

  async #run(record: RunRecord, factories: BenchFactories, retryErrors: boolean): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = undefined;
    this.active = record;
    const controller = new AbortController();
    this.#controller = controller;
    try {
      const done = await runBenchmark(record, { ...factories, runs: this.deps.runs, traces: this.deps.traces }, {
        signal: controller.signal,
        prices: $state.snapshot(this.prices),
        retryErrors,
        maxConsecutiveErrors: 5,
        preflight: true,
        onProgress: (p) => (this.progress = p),
        onUpdate: (r) => (this.active = r),
      });
      this.active = done;
      if (done.error) this.error = done.error;
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
      this.#controller = undefined;
      await this.refresh();
    }
  }

  /** tau-bench's results JSON for one configuration of the active run. */
  async exportTauJson(configIndex: number): Promise<string> {
    const rec = this.active;
    if (!rec) return '[]';
    const traceOf = await this.#tracesOf(rec, configIndex);
    return JSON.stringify(tauResults(rec, configIndex, traceOf), null, 2);
  }

  /** UserBench's eval.py results and reward cache for one configuration of the active run. */
  async exportUserBenchJson(configIndex: number): Promise<string> {
    const rec = this.active;
    if (!rec) return '{}';
    return JSON.stringify(userBenchExport(rec, configIndex, await this.#tracesOf(rec, configIndex)), null, 2);
  }

  /** τ³: tau2-bench's results JSON and a leaderboard submission.json for one configuration of the active run. */
  async exportTau2Files(configIndex: number, loadPack: Tau2PackLoader, resultsFileName: string): Promise<Tau2RunFiles | undefined> {
    const rec = this.active;
    if (!rec) return undefined;
    return tau2RunFiles(rec, configIndex, await this.#tracesOf(rec, configIndex), loadPack, $state.snapshot(this.prices), resultsFileName);
  }

  async #tracesOf(rec: RunRecord, configIndex: number): Promise<(id: string) => EpisodeTrace | undefined> {
    const ids = Object.values(rec.results)
      .filter((r) => r.configIndex === configIndex)
      .map((r) => r.episodeId);
    const found = await Promise.all(ids.map((id) => this.deps.traces.get(id)));
    const byId = Object.fromEntries(found.flatMap((t): Array<[string, EpisodeTrace]> => (t ? [[t.id, t]] : [])));
    return (id) => (Object.hasOwn(byId, id) ? byId[id] : undefined);
  }

  exportCsv(): string {
    return this.active ? resultsCsv(this.active, $state.snapshot(this.prices)) : '';
  }
}
