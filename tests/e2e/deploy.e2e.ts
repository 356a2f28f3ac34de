/**
 * The production build served under a sub-path (/spotter/) by a plain static
 * server, as GitHub Pages or an intranet would: it loads with no 404 and no
 * console error, its service worker is scoped to /spotter/, and the tau-bench
 * pack, the critic worker, the onnxruntime wasm and the model all load from
 * under /spotter/. The build carries no test fixture and no file twice.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Response } from 'playwright-core';
import { useE2E } from './harness.ts';

const { app, openPage } = useE2E({ base: '/spotter/' });

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('dist/ under a sub-path', () => {
  it('carries no test fixture and no file twice', () => {
    const files = filesUnder('dist');
    expect(files.filter((f) => /tiny-critic|[\\/]models[\\/]|[\\/]ort[\\/]/.test(f))).toEqual([]);
    const bySum = new Map<string, string[]>();
    for (const f of files.filter((x) => statSync(x).size > 64 * 1024)) {
      const sum = createHash('sha256').update(readFileSync(f)).digest('hex');
      bySum.set(sum, [...(bySum.get(sum) ?? []), f]);
    }
    expect([...bySum.values()].filter((same) => same.length > 1)).toEqual([]);
  });

  it('loads at /spotter/: no 404, no console error, service worker scoped there, pack and critic worker from the sub-path', async () => {
    const { context, page, errors } = await openPage();
    const responses: Response[] = [];
    context.on('response', (r) => responses.push(r));
    await page.goto(app.url);
    await page.waitForSelector('html[data-offline-ready=true]', { timeout: 60_000 });
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(app.url);

    // The tau-bench pack, from the app's own folder.
    await page.selectOption('select[name=env-kind]', 'tau-bench');
    await page.getByText('Your instructions as the customer').waitFor({ timeout: 30_000 });

    // The in-browser critic: its worker, onnxruntime's wasm and the (test) model, all under /spotter/.
    await page.getByTestId('tab-critic').click();
    await page.getByLabel('transformers.js (WebGPU or wasm)').check();
    await page.getByTestId('tf-model').fill('tiny-critic');
    await page.getByTestId('tf-device').selectOption('wasm');
    await page.getByTestId('tf-dtype').selectOption('fp32');
    await page.getByTestId('critic-load').click();
    await page.getByTestId('critic-ready').waitFor({ timeout: 120_000 });

    const urls = responses.map((r) => r.url()).filter((u) => u.startsWith('http'));
    const sub = (re: RegExp) => urls.filter((u) => re.test(u));
    expect(sub(/\/spotter\/tau-bench\/retail\/tasks_test\.json$/).length).toBeGreaterThan(0);
    expect(sub(/\/spotter\/assets\/transformers\.worker-[\w-]+\.js$/).length).toBeGreaterThan(0);
    expect(sub(/\/spotter\/assets\/ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/).length).toBeGreaterThan(0);
    expect(sub(/\/spotter\/models\/tiny-critic\/onnx\/model\.onnx$/).length).toBeGreaterThan(0);
    expect(urls.filter((u) => !u.startsWith(app.url))).toEqual([]);
    expect(responses.filter((r) => r.status() >= 400).map((r) => `${r.status()} ${r.url()}`)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
