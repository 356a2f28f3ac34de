/**
 * The critic's context window in headless Chromium: the tiny KV critic with a
 * 2,048-token window (tiny-critic-2k, one token per byte) in its worker, on
 * wasm and WebGPU.
 * A long policy-chat episode runs to the end with every verdict parsed (the
 * budget shortens the prompt); a policy longer than the window gives
 * `context-overflow` verdicts, on screen and in the stored trace, and the
 * "not checking anything" banner after three in a row.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ProviderServerDouble } from '../doubles/provider-server-double.ts';
import { dumpIndexedDB, useE2E } from './harness.ts';

const provider = new ProviderServerDouble();
const { app, nextPage } = useE2E({ provider });
let page: Page;
let errors: string[];

beforeEach(async () => {
  ({ page, errors } = await nextPage());
});

async function setUp(p: Page, policy: string, device: 'wasm' | 'webgpu' = 'wasm'): Promise<void> {
  await p.goto(app.url);
  await p.getByTestId('tab-critic').click();
  await p.getByLabel('transformers.js (WebGPU or wasm)').check();
  await p.getByTestId('tf-model').fill('tiny-critic-2k');
  await p.getByTestId('tf-device').selectOption(device);
  await p.getByTestId('tf-dtype').selectOption('fp32');
  await p.getByTestId('critic-load').click();
  await p.getByTestId('critic-ready').waitFor({ timeout: 120_000 });
  expect(await p.getByTestId('critic-ready').getAttribute('data-device')).toBe(device);
  await p.getByTestId('tab-chat').click();
  await p.fill('input[name=actor-base-url]', `${provider.url}/v1`);
  await p.fill('input[name=actor-model]', 'actor');
  await p.fill('input[name=actor-key]', 'sk-e2e-context');
  // Loaded in the Critic tab, it is the active critic: the Setup panel only shows it.
  await expect(p.getByTestId('active-critic').getAttribute('data-engine')).resolves.toBe('local');
  await p.fill('textarea[name=policy]', policy);
  await p.locator('textarea[name=policy]').dispatchEvent('change');
}

/**
 * Sends `n` user messages, each answered by the actor double, waiting for each step. Short turns: the tiny
 * model counts a token per byte, so its 2,048 positions hold the critic instructions and about ten turns.
 */
async function chat(p: Page, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    provider.script('actor', { kind: 'message', content: `Reply ${i}: your order ships soon, it should arrive this week.` });
    await p.fill('textarea[name=message]', `Message ${i}: where is my order?`);
    await p.press('textarea[name=message]', 'Enter');
    await expect.poll(() => p.getByTestId('step').count(), { timeout: 60_000 }).toBe(i + 1);
  }
}

describe('the critic context window, in a real browser', () => {
  // On WebGPU (SwiftShader) the KV cache stays in GPU buffers and is passed back as it is: the incremental chat extends it exactly.
  it.each(['wasm', 'webgpu'] as const)('follows a long episode past its 2,048-token window on %s: every verdict parsed, no context error', async (device) => {
    await setUp(page, 'Never promise a refund over $100.', device);
    await chat(page, 24);
    const decisions = await page.getByTestId('step').getByTestId('verdict').evaluateAll((els) => els.map((e) => e.getAttribute('data-decision')));
    expect(decisions).toEqual(Array.from({ length: 24 }, () => 'approve'));
    await expect(page.getByTestId('critic-blind').count()).resolves.toBe(0);
    // The whole conversation is far past the window: only the budget made these fit.
    const stored = await dumpIndexedDB(page, 'spotter-traces');
    expect(stored.length).toBeGreaterThan(2048 + 1000);
    expect(stored).not.toContain('context-overflow');
    expect(errors.filter((e) => !/404|Failed to load resource/.test(e))).toEqual([]);
  });

  it('shows context-overflow on the step and the banner when the policy alone passes the window, and stores it in the trace', async () => {
    await setUp(page, `Never promise a refund over $100. ${'Always verify the customer first. '.repeat(80)}`);
    await chat(page, 3);
    const badges = page.getByTestId('step').getByTestId('verdict');
    expect(await badges.evaluateAll((els) => els.map((e) => e.getAttribute('data-error-code')))).toEqual(['context-overflow', 'context-overflow', 'context-overflow']);
    await expect(badges.first().innerText()).resolves.toContain('context overflow');
    await page.getByTestId('critic-blind').first().waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('critic-blind').first().innerText()).resolves.toContain('The critic is not checking anything');
    await expect.poll(async () => (await dumpIndexedDB(page, 'spotter-traces')).split('"errorCode":"context-overflow"').length - 1, { timeout: 10_000 }).toBe(3);
  });
});
