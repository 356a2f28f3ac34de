/**
 * The transformers.js critic in its Web Worker, in headless Chromium: the tiny
 * model generates on WebGPU (SwiftShader) and on wasm, everything (model, ort
 * wasm) comes from 127.0.0.1, and the main thread never blocks for > 50 ms
 * while the critic generates.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadCritic, longTasksSince, offHostRequests, useE2E, waitForCritic, watchLongTasks, type LongTask } from './harness.ts';

const { app, nextPage } = useE2E();
let page: Page;
let requests: string[];
let errors: string[];

beforeEach(async () => {
  ({ page, requests, errors } = await nextPage());
  await watchLongTasks(page);
});

/** Opens the app afresh and loads `model` on `device`; returns the device it runs on. */
async function reloadWithCritic(p: Page, model: string, device: 'webgpu' | 'wasm'): Promise<string | null> {
  await p.goto(app.url);
  return loadCritic(p, { model, device });
}

/** Runs `n` verdicts from the panel; returns their decisions, latencies and the long tasks seen meanwhile. */
async function judge(p: Page, n: number): Promise<{ decisions: string[]; latencies: number[]; longTasks: LongTask[] }> {
  const t0 = await p.evaluate(() => performance.now());
  const decisions: string[] = [];
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    await p.getByTestId('critic-try').click();
    const result = p.getByTestId('critic-try-result');
    await waitForCritic(p, result, 'verdict', 60_000);
    decisions.push((await result.getAttribute('data-decision')) ?? '');
    latencies.push(Number(/in (\d+) ms/.exec(await result.innerText())?.[1] ?? NaN));
  }
  const longTasks = await longTasksSince(p, t0);
  return { decisions, latencies, longTasks };
}

describe('transformers.js critic in a worker, headless Chromium', () => {
  it('generates with device webgpu (SwiftShader): approve verdicts, main thread free, local requests only', async () => {
    expect(await reloadWithCritic(page, 'tiny-critic', 'webgpu')).toBe('webgpu');
    const r = await judge(page, 5);
    expect(r.decisions).toEqual(['approve', 'approve', 'approve', 'approve', 'approve']);
    expect(r.longTasks.filter((t) => t.duration > 50)).toEqual([]);
    expect(offHostRequests(requests)).toEqual([]);
    expect(requests.some((u) => u.includes('/models/tiny-critic/onnx/model.onnx'))).toBe(true);
    expect(errors.filter((e) => !/404|Failed to load resource/.test(e))).toEqual([]);
  });

  it('generates with wasm: approve verdicts, then unparsed ones from the babbling model, main thread free, ort wasm from 127.0.0.1', async () => {
    expect(await reloadWithCritic(page, 'tiny-critic', 'wasm')).toBe('wasm');
    const approve = await judge(page, 5);
    expect(approve.decisions).toEqual(['approve', 'approve', 'approve', 'approve', 'approve']);
    expect(await reloadWithCritic(page, 'tiny-critic-babble', 'wasm')).toBe('wasm');
    const r = await judge(page, 3);
    expect(r.decisions).toEqual(['unparsed', 'unparsed', 'unparsed']);
    console.log(`wasm verdict latency ms (256 new tokens): ${r.latencies.join(', ')}`);
    expect(r.longTasks.filter((t) => t.duration > 50)).toEqual([]);
    expect(offHostRequests(requests)).toEqual([]);
    expect(requests.some((u) => /\/assets\/ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/.test(u))).toBe(true);
    expect(errors.filter((e) => !/404|Failed to load resource/.test(e))).toEqual([]);
  });

  it('deletes the cached model files and reports it', async () => {
    await reloadWithCritic(page, 'tiny-critic', 'wasm');
    await page.getByTestId('critic-delete').click();
    await page.getByTestId('critic-freed').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('critic-freed').innerText()).toMatch(/[1-9]\d* file\(s\) deleted/);
    const left = await page.evaluate(async () => (await (await caches.open('transformers-cache')).keys()).filter((r) => r.url.includes('/tiny-critic/')).length);
    expect(left).toBe(0);
  });
});
