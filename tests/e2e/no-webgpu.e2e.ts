/**
 * A browser without a GPU adapter: the app says so plainly, offers what still
 * works, and the transformers.js critic falls back to wasm on its own.
 */
import { describe, expect, it } from 'vitest';
import { offHostRequests, useE2E } from './harness.ts';

const { app, openPage } = useE2E({ webgpu: false });

describe('no WebGPU', () => {
  it('explains it, disables web-llm, and the critic runs on wasm with device auto', async () => {
    const { context, page, requests, errors } = await openPage();
    await page.goto(app.url);
    await page.getByTestId('tab-critic').click();
    await page.getByText('No WebGPU in this browser').waitFor({ timeout: 10_000 });
    await expect(page.getByLabel('web-llm (WebGPU)').isDisabled()).resolves.toBe(true);
    await expect(page.locator('main').innerText()).resolves.toContain('transformers-wasm');

    await page.getByLabel('transformers.js (WebGPU or wasm)').check();
    await page.getByTestId('tf-model').fill('tiny-critic');
    await page.getByTestId('tf-device').selectOption('auto');
    await page.getByTestId('critic-load').click();
    const ready = page.getByTestId('critic-ready');
    await ready.waitFor({ timeout: 120_000 });
    await expect(ready.getAttribute('data-device')).resolves.toBe('wasm');
    await page.getByTestId('critic-try').click();
    await page.getByTestId('critic-try-result').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('critic-try-result').innerText()).resolves.toMatch(/approve/i);

    expect(offHostRequests(requests)).toEqual([]);
    expect(errors.filter((e) => !/404|Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });
});
