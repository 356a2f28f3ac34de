/**
 * Headless benchmark runs under Node against OpenAI-compatible (or Anthropic)
 * endpoints, with the same core as the browser: plan, runner, pass^k, export.
 * The run record is kept in a JSON state file and finished traces in a JSONL
 * file beside it, so an interrupted run resumes with the same command.
 *
 *   SPOTTER_ACTOR_KEY=... npm run headless -- --domain retail --tasks 0-9 --trials 3 \
 *     --actor-base-url https://api.openai.com/v1 --actor-model gpt-4o --out results.json
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ProviderConfig } from '../src/lib/actor/provider.ts';
import { HEADLESS_USAGE, outputPaths, parseHeadlessArgs, sameRun, type HeadlessOptions } from '../src/lib/runs/cli.ts';
import { DEFAULT_PRICES, formatUsd, PriceTableSchema, type PriceTable } from '../src/lib/pricing.ts';
import { resultsCsv, tauResults } from '../src/lib/runs/results-export.ts';
import { newRunRecord, parseRunRecord, type RunRecord, type RunStore } from '../src/lib/runs/record.ts';
import { configurationResults } from '../src/lib/runs/results.ts';
import { runModelClients } from '../src/lib/runs/models.ts';
import { runBenchmark } from '../src/lib/runs/runner.ts';
import { runFactories } from '../src/lib/runs/run-factories.ts';
import { userBenchExport } from '../src/lib/runs/userbench-export.ts';
import { sourcePackLoader } from '../src/lib/runs/userbench-factories.ts';
import { nodePackSource } from '../src/lib/envs/tau-bench/pack-node.ts';
import { errorMessage } from '../src/lib/errors.ts';
import { redactSecrets } from '../src/lib/secrets.ts';
import type { TraceSink } from '../src/lib/traces/recorder.ts';
import { EpisodeTraceSchema, type EpisodeTrace } from '../src/lib/traces/schema.ts';

/** One run record in a JSON file, replaced atomically on every write. */
class FileRunStore implements RunStore {
  constructor(private readonly path: string) {}
  async get(id: string): Promise<RunRecord | undefined> {
    const r = this.read();
    return r?.spec.id === id ? r : undefined;
  }
  read(): RunRecord | undefined {
    if (!existsSync(this.path)) return undefined;
    const value: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
    return parseRunRecord(value, this.path);
  }
  async put(record: RunRecord): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(record));
    renameSync(tmp, this.path);
  }
  async list(): Promise<RunRecord[]> {
    const r = this.read();
    return r ? [r] : [];
  }
  async delete(): Promise<void> {
    // Not needed by the CLI.
  }
}

/** Finished traces appended to a JSONL file (last line per id wins); running ones kept in memory. */
class JsonlTraceSink implements TraceSink {
  readonly traces = new Map<string, EpisodeTrace>();
  constructor(private readonly path: string) {
    if (!existsSync(path)) return;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = EpisodeTraceSchema.safeParse(JSON.parse(line));
      if (r.success) this.traces.set(r.data.id, r.data);
    }
  }
  async put(trace: EpisodeTrace): Promise<void> {
    this.traces.set(trace.id, trace);
    if (trace.status === 'running' || trace.status === 'aborted') return;
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, JSON.stringify(trace) + '\n');
  }
}

function loadPrices(path: string | undefined): PriceTable {
  if (!path) return DEFAULT_PRICES;
  const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const r = PriceTableSchema.safeParse(value);
  if (!r.success) throw new Error(`${path}: not a price table {"model": {"inputPerM": n, "outputPerM": n}}`);
  return { ...DEFAULT_PRICES, ...r.data };
}

function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return '?';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

async function main(opts: HeadlessOptions): Promise<number> {
  const secrets = [opts.keys.actor, opts.keys.user, opts.keys.critic];
  const say = (text: string): void => void process.stderr.write(redactSecrets(text, secrets) + '\n');
  const prices = loadPrices(opts.pricesPath);
  const runs = new FileRunStore(resolve(opts.statePath));
  const traces = new JsonlTraceSink(resolve(`${opts.statePath}.traces.jsonl`));

  let record = opts.fresh ? undefined : runs.read();
  if (record && !sameRun(record.spec, opts.spec)) {
    say(`${opts.statePath} holds a different run (${record.spec.id}); pass --fresh to replace it or --state to use another file.`);
    return 2;
  }
  if (record) {
    record = { ...record, spec: { ...record.spec, concurrency: opts.spec.concurrency } };
    say(`Resuming ${record.spec.id}: ${Object.keys(record.results).length} episodes already done.`);
  } else {
    record = newRunRecord(opts.spec, Date.now());
  }

  // Keys by role; every spec names its endpoint (the command line requires one per model).
  const base = (key: string): ProviderConfig => ({
    kind: 'openai-compatible',
    baseUrl: '',
    model: '',
    apiKey: key,
    temperature: 0,
    maxTokens: 4096,
    stream: false,
  });
  const models = runModelClients({ actor: base(opts.keys.actor), user: base(opts.keys.user), critic: base(opts.keys.critic) });
  const userBench = opts.spec.environment.family === 'userbench';
  const source = nodePackSource(resolve(opts.dataDir));
  const factories = runFactories(opts.spec.environment, { tauBench: () => source, userBench: () => sourcePackLoader(source) }, models);

  const controller = new AbortController();
  process.once('SIGINT', () => {
    say('Stopping: episodes in flight are dropped and will run again on resume.');
    controller.abort();
  });

  const total = record.spec.taskIndices.length * record.spec.trials * record.spec.configurations.length;
  let lastEta: number | undefined;
  const done = await runBenchmark(record, { ...factories, runs, traces }, {
    signal: controller.signal,
    prices,
    retryErrors: true,
    maxConsecutiveErrors: 5,
    onProgress: (p) => (lastEta = p.etaMs),
    onUpdate: (r) => (record = r),
    onSlotDone: (slot, r) => {
      const n = Object.keys(record?.results ?? {}).length;
      say(
        `[${n}/${total}] task ${slot.taskIndex} trial ${slot.trial} ${slot.configLabel}: reward ${r.reward} ` +
          `(${r.outcome}, ${r.steps} steps, ${fmtMs(r.endedAt - r.startedAt)}${r.error ? `, ${r.error}` : ''}) ETA ${fmtMs(lastEta)}`,
      );
    },
  });

  const labels = done.spec.configurations.map((c) => c.label);
  const paths = outputPaths(opts.out, labels);
  labels.forEach((_, i) => {
    const path = paths.json[i];
    if (!path) return;
    mkdirSync(dirname(resolve(path)), { recursive: true });
    const traceOf = (id: string): EpisodeTrace | undefined => traces.traces.get(id);
    writeFileSync(path, JSON.stringify(userBench ? userBenchExport(done, i, traceOf) : tauResults(done, i, traceOf), null, 2));
  });
  writeFileSync(paths.csv, resultsCsv(done, prices));

  const summary = configurationResults(done, prices).map((c) => ({
    configuration: c.label,
    episodes: `${c.finished}/${c.planned}`,
    ...Object.fromEntries((c.passK?.passK ?? []).map((p) => [`pass^${p.k}`, Number(p.value.toFixed(4))])),
    avg_reward: c.passK ? Number(c.passK.averageReward.toFixed(4)) : null,
    ...(c.userBench
      ? {
          micro_max: Number(c.userBench.microMax.toFixed(4)),
          micro_avg: Number(c.userBench.microAvg.toFixed(4)),
          'avg_#1.0': Number(c.userBench.avgNumberOf1.toFixed(4)),
          'avg_#0.8': Number(c.userBench.avgNumberOf08.toFixed(4)),
        }
      : {}),
    tokens: c.promptTokens + c.completionTokens,
    cost: formatUsd(c.cost),
    critic_errors: c.criticErrors,
    context_overflows: c.contextOverflows,
  }));
  console.table(summary);
  say(`Run ${done.spec.id}: ${done.status}${done.error ? ` (${done.error})` : ''}. Wrote ${[...paths.json, paths.csv].join(', ')}.`);
  const errors = Object.values(done.results).filter((r) => r.outcome === 'error').length;
  if (errors > 0) say(`${errors} episodes ended in an error (scored 0); run the same command again to retry only those.`);
  return done.status === 'done' && errors === 0 ? 0 : 1;
}

let opts: HeadlessOptions;
try {
  opts = parseHeadlessArgs(process.argv.slice(2), process.env);
} catch (err) {
  process.stderr.write(`${errorMessage(err)}\n\n${HEADLESS_USAGE}\n`);
  process.exit(2);
}
main(opts).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(redactSecrets(`headless run failed: ${errorMessage(err)}`, [opts.keys.actor, opts.keys.user, opts.keys.critic]) + '\n');
    process.exit(1);
  },
);
