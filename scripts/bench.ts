/**
 * `npm run bench`: prints the project's speed figures. Each section measures
 * real code paths (SDK over HTTP to a local server, IndexedDB in Chromium).
 */
import { createServer } from 'vite';
import { benchLoop, type LoopBenchResult } from '../src/lib/loop/bench.ts';
import type { EpisodeTrace } from '../src/lib/traces/schema.ts';
import { formatTimings, type ReviewStoreBench } from '../src/lib/traces/bench.ts';
import { ProviderServerDouble } from '../tests/servers/openai-double.ts';
import { launchBrowser } from '../tests/e2e/harness.ts';
import { benchTau } from '../src/lib/envs/tau-bench/bench.ts';
import { benchCritic, formatCriticBench } from '../src/lib/critic/bench.ts';
import { benchRunner } from '../src/lib/bench/bench.ts';
import { makeTinyModels } from './make-tiny-model.ts';

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');

function printLoop(where: string, r: LoopBenchResult): void {
  console.log(
    `loop ${where}: ${r.steps} steps | step median ${fmt(r.stepMs)} ms | actor ${fmt(r.actorMs)} ms | critic ${fmt(r.criticMs)} ms | loop overhead ${fmt(r.overheadMs)} ms/step | trace write ${fmt(r.traceWriteMs)} ms/step`,
  );
}

async function loopSection(): Promise<void> {
  const provider = new ProviderServerDouble();
  const base = `${await provider.start()}/v1`;
  let n = 0;
  provider.respond('bench-actor', () => ({ kind: 'tool_call', name: 'lookup', arguments: { id: `item-${n++}` } }));
  provider.respond('bench-critic', () => ({ kind: 'message', content: '{"decision":"approve"}' }));
  try {
    const memory = new Map<string, EpisodeTrace>();
    printLoop('(Node, in-memory sink)', await benchLoop(base, 30, { put: async (t) => void memory.set(t.id, t) }));

    const server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
    await server.listen();
    const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${url}/tests/bench/loop.html?base=${encodeURIComponent(base)}`);
      const out = await page.evaluate(() => (window as unknown as { __bench: Promise<{ ok: boolean; r?: LoopBenchResult; error?: string }> }).__bench);
      if (out.ok && out.r) printLoop('(Chromium, IndexedDB)', out.r);
      else console.log(`loop (Chromium): failed: ${out.error}`);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await provider.stop();
  }
}

console.log('Spotter benchmarks (30-step episode, actor and critic answered at once by a local server)');
await loopSection();

/** Review at scale: 10,000 episodes imported into IndexedDB in Chromium, then the list's filters and searches. */
async function reviewSection(): Promise<void> {
  const server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  await server.listen();
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/tests/bench/review.html?n=10000`);
    const out = await page.evaluate(() => (window as unknown as { __bench: Promise<{ ok: boolean; r?: ReviewStoreBench; error?: string }> }).__bench);
    if (!out.ok || !out.r) {
      console.log(`review (Chromium): failed: ${out.error}`);
      return;
    }
    const r = out.r;
    console.log(`review (Chromium, IndexedDB): ${r.episodes} episodes | parse+validate ${fmt(r.parseMs)} ms | import ${fmt(r.importMs)} ms | open list ${fmt(r.loadSummariesMs)} ms`);
    console.log(formatTimings(r.queries).replace(/^/gm, '  '));
  } finally {
    await browser.close();
    await server.close();
  }
}
await reviewSection();

/** tau-bench: tool execution per step and episode scoring, both domains, read from ../shared/tau-bench. */
async function tauSection(): Promise<void> {
  const r = await benchTau();
  console.log(`tau-bench (Node, median ms):\n${Object.entries(r).map(([k, v]) => `  ${k.padEnd(36)} ${fmt(v)}`).join('\n')}`);
}
await tauSection();

/** The critic on the tiny model: prefix reuse under Node, then verdict latency in Chromium's worker on WebGPU and wasm. */
async function criticSection(): Promise<void> {
  makeTinyModels();
  console.log(formatCriticBench(await benchCritic({ modelsDir: '.fixtures/models' })));
  const server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  await server.listen();
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/tests/bench/critic.html`);
    type Row = { device: string; medians?: Record<string, number>; error?: string };
    const rows = await page.evaluate(() => (window as unknown as { __bench: Promise<Row[]> }).__bench);
    for (const r of rows) {
      const cells = r.medians ? Object.entries(r.medians).map(([steps, ms]) => `${steps}-step episode ${fmt(ms)} ms`).join(' | ') : `failed: ${r.error}`;
      console.log(`critic (Chromium worker, tiny-critic, ${r.device}): median verdict ${cells}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
await criticSection();

/** The benchmark runner's own cost per episode, with instant doubles. */
async function runnerSection(): Promise<void> {
  const r = await benchRunner();
  console.log(`runner (Node, instant doubles): ${r.episodes} episodes | ${fmt(r.perEpisodeMs)} ms runner overhead per episode | results for the run ${fmt(r.resultsMs)} ms`);
}
await runnerSection();
