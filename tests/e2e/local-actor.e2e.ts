/**
 * The in-browser actor in a real browser, without downloading a model (the
 * model host is off limits here): picking it shows web-llm's actor-sized
 * models, and an episode started before loading one fails with a clear
 * message and no request leaving the machine.
 */
import { describe, expect, it } from 'vitest';
import { offHostRequests, useE2E } from './harness.ts';

const { app, openPage } = useE2E();

describe('in-browser actor (web-llm) in the Setup panel', () => {
  it('lists actor models, refuses to start before one is loaded, and sends nothing off the machine', async () => {
    const { context, page, requests, errors } = await openPage();
    await page.goto(app.url);

    await page.selectOption('select[name=actor-engine]', 'local');
    // The remote provider's fields give way to the model picker.
    await expect(page.locator('input[name=actor-base-url]').count()).resolves.toBe(0);
    const picker = page.getByTestId('local-actor-model');
    await page.waitForFunction(() => (document.querySelector('[data-testid=local-actor-model]')?.textContent ?? '').includes('Qwen2.5-7B-Instruct'), undefined, { timeout: 30_000 });
    const ids = await picker.locator('option').evaluateAll((os) => os.map((o) => (o instanceof HTMLOptionElement ? o.value : '')));
    expect(ids).toContain('Llama-3.1-8B-Instruct-q4f32_1-MLC');
    expect(ids).toContain('Hermes-3-Llama-3.1-8B-q4f32_1-MLC');
    expect(ids.some((id) => /0\.5B|1\.5B|Coder|DeepSeek/.test(id))).toBe(false);
    await expect(picker.inputValue()).resolves.toMatch(/^Qwen2\.5-7B-Instruct-q4f(16|32)_1-MLC$/);
    await expect(picker.locator('option').first().innerText()).resolves.toMatch(/MB VRAM · ≈\d+ MB download/);
    await expect(page.getByTestId('local-actor-note').innerText()).resolves.toContain('Nothing leaves this machine when both actor and critic are in-browser');
    await page.selectOption('select[name=local-actor-model]', 'Llama-3.1-8B-Instruct-q4f32_1-MLC');

    // Start an episode without loading the model (Load would download from the model host).
    await page.fill('textarea[name=message]', 'Hello');
    await page.press('textarea[name=message]', 'Enter');
    const alert = page.getByRole('alert').filter({ hasText: 'load the model first' });
    await alert.waitFor({ timeout: 10_000 });
    await expect(alert.innerText()).resolves.toContain('in-browser actor is not loaded');
    await expect(page.getByTestId('step').count()).resolves.toBe(0);

    // The choice is saved (validated settings), and survives a reload.
    await page.reload();
    await expect(page.locator('select[name=actor-engine]').inputValue()).resolves.toBe('local');
    await page.waitForFunction(() => (document.querySelector('[data-testid=local-actor-model]')?.textContent ?? '').includes('Llama-3.1-8B'), undefined, { timeout: 30_000 });
    await expect(page.getByTestId('local-actor-model').inputValue()).resolves.toBe('Llama-3.1-8B-Instruct-q4f32_1-MLC');

    expect(offHostRequests(requests)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
