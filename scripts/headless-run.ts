/**
 * Headless benchmark runs under Node against OpenAI-compatible (or Anthropic)
 * endpoints, with the same core as the browser: plan, runner, pass^k, export.
 * The run record is kept in a JSON state file and finished traces in a JSONL
 * file beside it, so an interrupted run resumes with the same command.
 *
 *   SPOTTER_ACTOR_KEY=... npm run headless -- --domain retail --tasks 0-9 --trials 3 \
 *     --actor-base-url https://api.openai.com/v1 --actor-model gpt-4o --out results.json
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ProviderConfig } from '../src/lib/actor/provider.ts';
import { HEADLESS_USAGE, parseHeadlessArgs, sameRun, type HeadlessOptions } from './headless-cli.ts';
import { estimateReport, estimateSweep, tau2JudgedAssertions } from '../src/lib/runs/estimate.ts';
import { parseShardState, parseTraceLines, type ShardState } from '../src/lib/runs/merge.ts';
import { newRunRecord, type RunRecord, type RunStore } from '../src/lib/runs/record.ts';
import { runModelClients } from '../src/lib/runs/models.ts';
import { rateLimitedFetch } from '../src/lib/runs/rate-limit.ts';
import { runBenchmark } from '../src/lib/runs/runner.ts';
import type { Slot } from '../src/lib/runs/plan.ts';
import { formatShard, unitsOfShard, type Shard } from '../src/lib/runs/shard.ts';
import { planUnits } from '../src/lib/runs/units.ts';
import { runFactories } from '../src/lib/runs/run-factories.ts';
import { sourcePackLoader } from '../src/lib/runs/userbench-packs.ts';
import { nodePackSource } from '../src/lib/envs/tau-bench/pack-node.ts';
import { nodeTau2Packs } from '../src/lib/envs/tau2/pack-node.ts';
import { errorMessage } from '../src/lib/errors.ts';
import { redactSecrets } from '../src/lib/secrets.ts';
import type { TraceSink } from '../src/lib/traces/recorder.ts';
import type { EpisodeTrace } from '../src/lib/traces/schema.ts';
import { mergeMain } from './headless-merge.ts';
import { loadPrices, printSummary, writeFileAtomic, writeResultFiles, writeTau2ResultFiles } from './headless-outputs.ts';

/** One run record in a JSON file, with the shard of the sweep it holds, replaced atomically on every write. */
class FileRunStore implements RunStore {
  constructor(
    private readonly path: string,
    private readonly shard: Shard | undefined,
  ) {}
  async get(id: string): Promise<RunRecord | undefined> {
    const r = this.read();
    return r?.spec.id === id ? r : undefined;
  }
  read(): ShardState | undefined {
    if (!existsSync(this.path)) return undefined;
    return parseShardState(readFileSync(this.path, 'utf8'), this.path);
  }
  async put(record: RunRecord): Promise<void> {
    const state: ShardState = { ...record, ...(this.shard ? { shard: this.shard } : {}) };
    writeFileAtomic(this.path, JSON.stringify(state));
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
    const text = readFileSync(path, 'utf8');
    // A process killed mid-append leaves a torn last line: cut it, so the file stays whole for the merge.
    const whole = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    if (whole !== text) writeFileSync(path, whole);
    for (const [id, trace] of parseTraceLines(whole, path)) this.traces.set(id, trace);
  }
  async put(trace: EpisodeTrace): Promise<void> {
    this.traces.set(trace.id, trace);
    if (trace.status === 'running' || trace.status === 'aborted') return;
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, JSON.stringify(trace) + '\n');
  }
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
  const units = opts.shard ? unitsOfShard(planUnits(opts.spec), opts.shard) : planUnits(opts.spec);
  if (opts.action === 'list-units') {
    process.stdout.write(units.map((u) => `${u.id}\n`).join(''));
    return 0;
  }
  if (opts.action === 'dry-run') {
    const pilot = opts.estimateFrom ? parseShardState(readFileSync(opts.estimateFrom, 'utf8'), opts.estimateFrom) : undefined;
    // τ³ with an NL judge: which tasks call it (and on what) comes from the tasks' reward basis.
    const env = opts.spec.environment;
    const judged = env.family === 'tau2' && opts.spec.nlJudge ? tau2JudgedAssertions(await nodeTau2Packs(opts.dataDir)(env.domain), opts.spec.split) : undefined;
    process.stdout.write(estimateReport(units, opts.shard, estimateSweep(opts.spec, units, prices, pilot, judged)));
    return 0;
  }
  const runs = new FileRunStore(resolve(opts.statePath), opts.shard);
  const traces = new JsonlTraceSink(resolve(`${opts.statePath}.traces.jsonl`));

  const stored = opts.fresh ? undefined : runs.read();
  if (stored && !sameRun(stored.spec, opts.spec)) {
    say(`${opts.statePath} holds a different run (${stored.spec.id}); pass --fresh to replace it or --state to use another file.`);
    return 2;
  }
  const part = (s: Shard | undefined): string => (s ? `shard ${formatShard(s)}` : 'the whole run');
  if (stored && part(stored.shard) !== part(opts.shard)) {
    say(`${opts.statePath} holds ${part(stored.shard)}, not ${part(opts.shard)}; pass --state to use another file.`);
    return 2;
  }
  let record: RunRecord;
  if (stored) {
    const { shard: _held, ...held } = stored;
    record = { ...held, spec: { ...held.spec, concurrency: opts.spec.concurrency } };
    say(`Resuming ${record.spec.id}${opts.shard ? ` ${part(opts.shard)}` : ''}: ${Object.keys(record.results).length} episodes already done.`);
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
  const limited = opts.maxRpm === undefined ? undefined : rateLimitedFetch(globalThis.fetch, opts.maxRpm);
  const models = runModelClients(
    { actor: base(opts.keys.actor), user: base(opts.keys.user), critic: base(opts.keys.critic) },
    limited ? { fetchFor: () => limited } : {},
  );
  const source = nodePackSource(resolve(opts.dataDir));
  // τ³: each domain read once, for the run and its results files.
  const tau2Pack = nodeTau2Packs(opts.dataDir);
  const factories = runFactories(
    opts.spec.environment,
    { tauBench: () => source, userBench: () => sourcePackLoader(source), tau2: () => tau2Pack },
    models,
  );

  const controller = new AbortController();
  // SIGTERM too: what Kubernetes sends a pod it stops, and GitHub Actions a cancelled job after SIGINT.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say('Stopping: episodes in flight are dropped and will run again on resume.');
      controller.abort();
    });
  }

  const total = units.length;
  const mine = new Set(units.map((u) => u.slot.key));
  let lastEta: number | undefined;
  const done = await runBenchmark(record, { ...factories, runs, traces }, {
    signal: controller.signal,
    ...(opts.shard ? { only: (slot: Slot) => mine.has(slot.key) } : {}),
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

  const written = writeResultFiles(done, (id) => traces.traces.get(id), opts.out, prices);
  const tau2Files = await writeTau2ResultFiles(done, (id) => traces.traces.get(id), opts.out, prices, tau2Pack);
  written.unshift(...tau2Files.written);
  for (const note of tau2Files.notes) say(note);
  printSummary(done, prices);
  say(`Run ${done.spec.id}: ${done.status}${done.error ? ` (${done.error})` : ''}. Wrote ${written.join(', ')}.`);
  const errors = Object.values(done.results).filter((r) => r.outcome === 'error').length;
  if (errors > 0) say(`${errors} episodes ended in an error (scored 0); run the same command again to retry only those.`);
  return done.status === 'done' && errors === 0 ? 0 : 1;
}

function exitWith(run: Promise<number>, secrets: readonly string[], what: string): void {
  run.then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(redactSecrets(`${what} failed: ${errorMessage(err)}`, secrets) + '\n');
      process.exit(1);
    },
  );
}

const argv = process.argv.slice(2);
if (argv[0] === 'merge') {
  const env = process.env;
  exitWith(mergeMain(argv.slice(1), env), [env['SPOTTER_ACTOR_KEY'] ?? '', env['SPOTTER_USER_KEY'] ?? '', env['SPOTTER_CRITIC_KEY'] ?? ''], 'merge');
} else {
  let opts: HeadlessOptions | undefined;
  try {
    opts = parseHeadlessArgs(argv, process.env);
  } catch (err) {
    process.stderr.write(`${errorMessage(err)}\n\n${HEADLESS_USAGE}\n`);
    process.exit(2);
  }
  exitWith(main(opts), [opts.keys.actor, opts.keys.user, opts.keys.critic], 'headless run');
}
