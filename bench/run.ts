/**
 * `npm run bench`: prints the project's speed figures. Each section measures
 * real code paths: the SDKs over HTTP to a local server, IndexedDB and the
 * critic worker in Chromium, the tau-bench port on the real data.
 */
import { median as medianOf } from '../src/lib/percentiles.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, createServer, type ViteDevServer } from 'vite';
import type { Browser } from 'playwright-core';
import { benchRunner } from './runner.ts';
import { benchCritic, formatCriticBench, longestReplayEpisode, type PreparationBench } from './critic.ts';
import { benchBudget, formatBudgetBench } from './budget.ts';
import { benchTau2Critic, formatTau2Critic } from './tau2-critic.ts';
import { loadTauPack } from '../src/lib/envs/tau-bench/pack.ts';
import { defaultTauDir, nodePackSource } from '../src/lib/envs/tau-bench/pack-node.ts';
import { benchTau } from './tau.ts';
import { benchExamSets } from './exam-sets.ts';
import { benchUserBench } from './userbench.ts';
import { examPromptRows, formatExamPromptRows, type ExamThroughput } from './exam.ts';
import { buildExamSet, EXAM_SET_NAMES } from '../src/lib/exam/sets.ts';
import { QUICK_SET } from '../src/lib/exam/quick.ts';
import { loadExamSourcesFromDir } from '../src/lib/exam/sources-node.ts';
import { benchLoop, type LoopBenchResult } from './loop.ts';
import { formatTimings, type ReviewStoreBench } from './review-store.ts';
import { longestHistoricalEpisode, type TraceWriteBench } from './trace-write.ts';
import type { Tau2LoadBench } from './tau2-load.ts';
import { HISTORICAL_AIRLINE_FILE } from '../src/lib/exam/sources-node.ts';
import type { EpisodeTrace } from '../src/lib/traces/schema.ts';
import { launchBrowser } from '../tests/e2e/harness.ts';
import { ProviderServerDouble } from '../tests/doubles/provider-server-double.ts';
import { initialLoad, workerBundles } from '../scripts/bundle-size.ts';
import { makePrefillModel, makeTinyModels, PREFILL_MODEL } from '../scripts/make-tiny-model.ts';

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');

/** One Vite dev server and one Chromium for every in-browser section (pages under bench/pages/). */
class BenchBrowser {
  private constructor(
    private readonly server: ViteDevServer,
    private readonly browser: Browser,
    private readonly url: string,
  ) {}

  static async start(): Promise<BenchBrowser> {
    const server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
    await server.listen();
    const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
    if (!url) throw new Error('vite dev server reported no URL');
    return new BenchBrowser(server, await launchBrowser(), url);
  }

  /** Opens a bench page in a fresh context (with `arg` as `window.__benchArg`) and returns what it leaves in `window.__bench`. */
  async run<T>(path: string, arg?: unknown): Promise<T> {
    const context = await this.browser.newContext();
    try {
      const page = await context.newPage();
      if (arg !== undefined) await page.addInitScript((a) => Object.assign(window, { __benchArg: a }), arg);
      await page.goto(`${this.url}${path}`);
      return await page.evaluate(() => (window as unknown as { __bench: Promise<T> }).__bench);
    } finally {
      await context.close();
    }
  }

  async stop(): Promise<void> {
    await this.browser.close();
    await this.server.close();
  }
}

function printLoop(where: string, r: LoopBenchResult): void {
  console.log(
    `loop ${where}: ${r.steps} steps | step median ${fmt(r.stepMs)} ms | actor ${fmt(r.actorMs)} ms | critic ${fmt(r.criticMs)} ms | loop overhead ${fmt(r.overheadMs)} ms/step | trace write ${fmt(r.traceWriteMs)} ms/step`,
  );
}

/** The loop on a 30-step episode, actor and critic answered at once by a local server. */
async function loopSection(b: BenchBrowser): Promise<void> {
  const provider = new ProviderServerDouble();
  const base = `${await provider.start()}/v1`;
  let n = 0;
  provider.respond('bench-actor', () => ({ kind: 'tool_call', name: 'lookup', arguments: { id: `item-${n++}` } }));
  provider.respond('bench-critic', () => ({ kind: 'message', content: '{"decision":"approve"}' }));
  try {
    const memory = new Map<string, EpisodeTrace>();
    printLoop('(Node, in-memory sink)', await benchLoop(base, 30, { put: async (t) => void memory.set(t.id, t) }));
    const out = await b.run<{ ok: boolean; r?: LoopBenchResult; error?: string }>(`/bench/pages/loop.html?base=${encodeURIComponent(base)}`);
    if (out.ok && out.r) printLoop('(Chromium, IndexedDB)', out.r);
    else console.log(`loop (Chromium): failed: ${out.error}`);
  } finally {
    await provider.stop();
  }
}

/** Trace writes at real length: the longest historical GPT-4o airline episode recorded step by step into IndexedDB in Chromium. */
async function traceWriteSection(b: BenchBrowser): Promise<void> {
  const trace = longestHistoricalEpisode(readFileSync(join(defaultTauDir(), HISTORICAL_AIRLINE_FILE), 'utf8'));
  const out = await b.run<{ ok: boolean; r?: TraceWriteBench; error?: string }>('/bench/pages/trace-write.html', { trace, rounds: 10 });
  if (!out.ok || !out.r) {
    console.log(`trace write (Chromium): failed: ${out.error}`);
    return;
  }
  const r = out.r;
  console.log(
    `trace write (Chromium, IndexedDB, historical airline episode ${r.episode}: ${r.steps} steps, ${fmt(r.traceKB)} KB at the end, ${r.rounds} rounds): ${fmt(r.medianMs)} ms/step median | p10 ${fmt(r.p10Ms)} / p90 ${fmt(r.p90Ms)} ms | last 5 steps ${fmt(r.lateMedianMs)} ms (goal ≤ 2.0)`,
  );
}

/** Review at scale: 10,000 episodes imported into IndexedDB in Chromium, then the list's filters and searches. */
async function reviewSection(b: BenchBrowser): Promise<void> {
  const out = await b.run<{ ok: boolean; r?: ReviewStoreBench; error?: string }>('/bench/pages/review.html?n=10000');
  if (!out.ok || !out.r) {
    console.log(`review (Chromium): failed: ${out.error}`);
    return;
  }
  const r = out.r;
  console.log(`review (Chromium, IndexedDB): ${r.episodes} episodes | parse+validate ${fmt(r.parseMs)} ms | import ${fmt(r.importMs)} ms | open list ${fmt(r.loadSummariesMs)} ms`);
  console.log(formatTimings(r.queries).replace(/^/gm, '  '));
}

/** The page's thread while τ³ airline (7 MB db.json) loads in Chromium: on the page as before, and in the pack worker. */
async function tau2LoadSection(b: BenchBrowser): Promise<void> {
  const rounds = 5;
  const median = (xs: number[]) => medianOf(xs) ?? NaN;
  for (const [way, label] of [
    ['page', 'on the page (before the pack worker)'],
    ['clone', 'in a worker posting the parsed pack by structured clone (not taken)'],
    ['worker', 'in the pack worker (posted as Python JSON, rebuilt on the page in 8 ms slices)'],
  ] as const) {
    const runs: Tau2LoadBench[] = [];
    for (let i = 0; i < rounds; i++) {
      const out = await b.run<{ ok: boolean; r?: Tau2LoadBench; error?: string }>('/bench/pages/tau2-load.html', { way, domain: 'airline' });
      if (!out.ok || !out.r) {
        console.log(`τ³ airline load ${label} (Chromium): failed: ${out.error}`);
        return;
      }
      runs.push(out.r);
    }
    console.log(
      `τ³ airline load ${label} (Chromium, ${runs[0]?.tasks ?? 0} tasks + 7 MB db.json, median of ${rounds} fresh pages): main thread longest task ${fmt(median(runs.map((r) => r.longestMs)))} ms | in tasks ≥ 50 ms ${fmt(median(runs.map((r) => r.longTasksMs)))} ms (${median(runs.map((r) => r.longTasks))} tasks) | pack ready after ${fmt(median(runs.map((r) => r.wallMs)))} ms`,
    );
  }
}

/** tau-bench: tool execution per step and episode scoring, both domains, read from ../shared/tau-bench. */
async function tauSection(): Promise<void> {
  const r = await benchTau();
  console.log(`tau-bench (Node, median ms):\n${Object.entries(r).map(([k, v]) => `  ${k.padEnd(46)} ${fmt(v)}`).join('\n')}`);
}

/** The exam sets: built from the airline pack and the 200 historical GPT-4o episodes (../shared/tau-bench). */
async function examSetsSection(): Promise<void> {
  const r = await benchExamSets();
  console.log(`exam sets (Node):\n${Object.entries(r).map(([k, v]) => `  ${k.padEnd(46)} ${fmt(v)}`).join('\n')}`);
}

/**
 * The critic exam: prompt tokens per item of every set at the default window (and a small device's), with the
 * overflows (0 at the default window on every set), and the tiny critic's grading throughput in Chromium's worker (wasm).
 */
async function examSection(b: BenchBrowser): Promise<void> {
  const sources = await loadExamSourcesFromDir(defaultTauDir());
  const sets = Object.fromEntries(EXAM_SET_NAMES.map((name) => [name, buildExamSet(name, sources)]));
  console.log(formatExamPromptRows(examPromptRows(sets)));
  makeTinyModels();
  const items = sets[QUICK_SET] ?? [];
  for (const r of await b.run<ExamThroughput[]>('/bench/pages/exam.html', { items })) {
    console.log(
      r.error
        ? `exam throughput (Chromium worker, tiny-critic, ${r.device}): failed: ${r.error}`
        : `exam throughput (Chromium worker, tiny-critic, ${r.device}, set ${QUICK_SET}): ${r.items} items in ${fmt((r.ms ?? NaN) / 1000)} s | ${fmt(r.itemsPerSecond ?? NaN)} items/s | median verdict ${fmt(r.latencyMedianMs ?? NaN)} ms | median prompt ${r.promptTokensMedian ?? 'n/a'} tokens | ${Object.entries(r.decisions ?? {}).map(([k, v]) => `${k}:${v}`).join(' ')}`,
    );
  }
}

/** UserBench: the eight upstream data files at real size (synthesised from the samples) and the gym's cost per step. */
async function userbenchSection(): Promise<void> {
  const r = await benchUserBench();
  console.log(`userbench (Node):\n${Object.entries(r).map(([k, v]) => `  ${k.padEnd(46)} ${fmt(v)}`).join('\n')}`);
}

/** The critic on the tiny model: prefix reuse under Node, then verdict latency in Chromium's worker on WebGPU and wasm. */
async function criticSection(b: BenchBrowser): Promise<void> {
  makeTinyModels();
  console.log(formatCriticBench(await benchCritic({ modelsDir: '.fixtures/models' })));
  type Row = { device: string; medians?: Record<string, number>; error?: string };
  for (const r of await b.run<Row[]>('/bench/pages/critic.html')) {
    const cells = r.medians ? Object.entries(r.medians).map(([steps, ms]) => `${steps}-step episode ${fmt(ms)} ms`).join(' | ') : `failed: ${r.error}`;
    console.log(`critic (Chromium worker, tiny-critic, ${r.device}): median verdict ${cells}`);
  }
}

/** The critic prompt budget on real-length episodes of every tau-bench test task (../shared/tau-bench). */
async function budgetSection(): Promise<void> {
  console.log(formatBudgetBench(benchBudget(await loadTauPack(nodePackSource(defaultTauDir())))));
}

/** The critic on τ³: real-length episodes of every task per domain, whole policy and policy sections, at the default window and smaller ones. */
async function tau2CriticSection(): Promise<void> {
  console.log(formatTau2Critic(benchTau2Critic()));
}

/**
 * Prefix reuse per step on WebGPU and wasm, and the verdict hidden behind a 500 ms actor by preparation on a
 * real-length episode (Chromium worker): on the tiny KV model, whose prefill costs almost nothing, and on
 * tiny-critic-prefill, the same answers plus dense layers computed on every prompt token (as a real decoder's prefill).
 */
async function prefixSection(b: BenchBrowser): Promise<void> {
  makeTinyModels();
  makePrefillModel();
  const episode = longestReplayEpisode(await loadTauPack(nodePackSource(defaultTauDir()), ['retail']), 'retail');
  type Reuse = { device: string; steps?: number; prefillPerStep?: number; promptPerStep?: number; error?: string };
  type Prep = Partial<PreparationBench> & { model: string; error?: string };
  const preparationModels = ['tiny-critic-kv', PREFILL_MODEL.id];
  const out = await b.run<{ reuse: Reuse[]; preparation: Prep[] }>('/bench/pages/prefix.html', { episode, preparationModels });
  for (const r of out.reuse) {
    console.log(
      r.error
        ? `critic prefix reuse (Chromium worker, tiny-critic-kv, ${r.device}): failed: ${r.error}`
        : `critic prefix reuse (Chromium worker, tiny-critic-kv, incremental chat, ${r.device}): ${r.steps} steps | prompt ${fmt(r.promptPerStep ?? NaN)} tokens/step | prefilled ${fmt(r.prefillPerStep ?? NaN)} tokens/step | ratio ${fmt((r.prefillPerStep ?? NaN) / (r.promptPerStep ?? NaN))} (goal ≤ 0.20)`,
    );
  }
  for (const p of out.preparation) {
    console.log(
      p.error
        ? `critic preparation (Chromium wasm, ${p.model}): failed: ${p.error}`
        : `critic preparation (Chromium worker wasm, ${p.model}, real-length retail episode of task ${episode.taskIndex}: ${p.steps} steps, prompt ${p.promptPerStep} tokens/step, actor double ${p.actorDelayMs} ms): verdict after the actor's reply, median ${fmt(p.withoutMs ?? NaN)} ms without / ${fmt(p.withMs ?? NaN)} ms with preparation | ratio ${fmt(p.ratio ?? NaN)} (goal ≤ 0.33) | prefilled after the reply ${p.prefillWithoutPerStep} / ${p.prefillWithPerStep} tokens/step | same verdicts: ${p.sameVerdicts ? 'yes' : 'NO'} | same prompts: ${p.samePrompts ? 'yes' : 'NO'}`,
    );
  }
}

/** The benchmark runner's own cost per episode, with instant doubles. */
async function runnerSection(): Promise<void> {
  const r = await benchRunner();
  console.log(`runner (Node, instant doubles): ${r.episodes} episodes | ${fmt(r.perEpisodeMs)} ms runner overhead per episode | results for the run ${fmt(r.resultsMs)} ms`);
}

/** A production build's first download (the entry chunk and what it imports statically) and each Web Worker's bundle, gzipped. */
async function bundleSection(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'spotter-bench-dist-'));
  try {
    await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const r = initialLoad(outDir);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`initial load (production build, gzipped): entry chunk ${kb(r.entryGzip)} | main-thread JS before first render ${kb(r.totalGzip)} in ${Object.keys(r.chunks).length} chunks`);
    const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;
    for (const w of workerBundles(outDir)) {
      const lazy = Object.values(w.lazyChunks);
      console.log(
        `worker ${w.name} (production build): ${bytes(w.raw)} raw / ${bytes(w.gzip)} gzip -9` +
          `${lazy.length ? ` | +${bytes(lazy.reduce((a, b) => a + b, 0))} gzip in ${lazy.length} chunk${lazy.length === 1 ? '' : 's'} it can load` : ''}` +
          ` | provider SDK: ${w.providerSdks.join(', ') || 'none'}`,
      );
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

console.log('Spotter benchmarks');
// `--<section>-only` runs one section alone.
const plainSections: Record<string, () => Promise<void>> = { budget: budgetSection, 'tau2-critic': tau2CriticSection, bundle: bundleSection, 'exam-sets': examSetsSection };
const browserSections: Record<string, (b: BenchBrowser) => Promise<void>> = { loop: loopSection, 'tau2-load': tau2LoadSection, 'trace-write': traceWriteSection, prefix: prefixSection, exam: examSection };
const chosen = [...Object.keys(plainSections), ...Object.keys(browserSections)].find((name) => process.argv.includes(`--${name}-only`));
if (chosen) {
  const plain = plainSections[chosen];
  const inBrowser = browserSections[chosen];
  if (plain) await plain();
  else if (inBrowser) {
    const b = await BenchBrowser.start();
    try {
      await inBrowser(b);
    } finally {
      await b.stop();
    }
  }
  process.exit(0);
}
await bundleSection();
const browser = await BenchBrowser.start();
try {
  await loopSection(browser);
  await traceWriteSection(browser);
  await reviewSection(browser);
  await tau2LoadSection(browser);
  await tauSection();
  await examSetsSection();
  await examSection(browser);
  await userbenchSection();
  await budgetSection();
  await tau2CriticSection();
  await criticSection(browser);
  await prefixSection(browser);
  await runnerSection();
} finally {
  await browser.stop();
}
