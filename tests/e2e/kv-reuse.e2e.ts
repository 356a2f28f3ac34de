/**
 * Prefix reuse of the transformers.js critic in its Web Worker, in headless
 * Chromium, on WebGPU (SwiftShader: the KV cache stays in GPU buffers) and on
 * wasm: over the bench's 30-step episode (bench/critic.ts, the incremental
 * chat), the tokens each verdict prefills are at most 1/5 of its prompt.
 * Token counts are deterministic; how long they take is `npm run bench`'s job.
 * The page (tests/e2e/pages/kv-reuse.html) runs the app's source modules
 * from a Vite dev server, the way the bench pages do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { makeTinyModels } from '../../scripts/make-tiny-model.ts';
import { collectErrors, launchBrowser } from './harness.ts';

interface StepStats {
  decision: string;
  prefillTokens: number;
  reusedTokens: number;
}

const STEPS = 30;
let server: ViteDevServer;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  makeTinyModels();
  server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  await server.listen();
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
  browser = await launchBrowser();
  // One page for both devices: the dev server compiles the module graph once.
  page = await browser.newPage();
  errors = collectErrors(page);
  await page.goto(`${url}/tests/e2e/pages/kv-reuse.html`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Episode = { device: string; kvReuse: boolean; steps: StepStats[] };
const judgeEpisode = (device: 'webgpu' | 'wasm'): Promise<Episode> =>
  page.evaluate(([d, n]) => (window as unknown as { __judgeEpisode: (d: string, n: number) => Promise<Episode> }).__judgeEpisode(d, n), [device, STEPS] as const);

describe('critic prefix reuse at 30 steps, in a real browser', () => {
  it.each(['webgpu', 'wasm'] as const)('on %s each verdict prefills at most 1/5 of its prompt, with every verdict parsed', async (device) => {
    const r = await judgeEpisode(device);
    expect(r.device).toBe(device);
    expect(r.kvReuse).toBe(true);
    expect(r.steps.map((s) => s.decision)).toEqual(Array.from({ length: STEPS }, () => 'approve'));
    const prefill = r.steps.reduce((n, s) => n + s.prefillTokens, 0);
    const prompt = r.steps.reduce((n, s) => n + s.prefillTokens + s.reusedTokens, 0);
    // The first verdict computes its whole prompt; every later one only the new turn.
    expect(r.steps[0]?.reusedTokens).toBe(0);
    expect(r.steps.slice(1).every((s) => s.reusedTokens > s.prefillTokens)).toBe(true);
    expect(prompt / STEPS).toBeGreaterThan(5000);
    expect(prefill / prompt).toBeLessThanOrEqual(1 / 5);
    console.log(`${device}: ${Math.round(prefill / STEPS)} of ${Math.round(prompt / STEPS)} prompt tokens prefilled per step (${(prefill / prompt).toFixed(3)})`);
    expect(errors.filter((e) => !/404|Failed to load resource/.test(e))).toEqual([]);
  });
});
