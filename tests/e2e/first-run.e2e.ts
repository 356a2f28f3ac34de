/**
 * A newcomer's first minute: the first screen explains the loop and the three
 * ways to start; one click loads the recommended in-browser critic (the tiny
 * test model stands in, named in the link as a talk's link would) with a
 * progress bar, and it becomes the active critic; a policy-chat episode runs
 * under it; the privacy panel shows nothing about its verdicts left the
 * machine. The first screen shows once.
 */
import { describe, expect, it } from 'vitest';
import { ProviderServerDouble } from '../doubles/provider-server-double.ts';
import { configureProvider, useE2E } from './harness.ts';

const provider = new ProviderServerDouble();
const { app, openPage } = useE2E({ provider });

describe('first run', () => {
  it('first screen, one-click recommended critic, an episode under it, nothing about verdicts leaves', async () => {
    provider.script('actor', { kind: 'message', content: 'I can refund up to $100 today.' });
    const { context, page, errors } = await openPage();
    await page.goto(`${app.url}/?critic=transformers:tiny-critic`);

    const welcome = page.getByTestId('welcome');
    await welcome.waitFor();
    const text = await welcome.innerText();
    expect(text).toMatch(/Actor proposes[\s\S]*Critic judges[\s\S]*Approve[\s\S]*or revise/);
    expect(text).toContain('same trajectory');
    for (const id of ['start-chat', 'start-tau', 'start-review']) await expect(welcome.getByTestId(id).isVisible()).resolves.toBe(true);
    await expect(welcome.getByTestId('rec-model').innerText()).resolves.toContain('tiny-critic');
    await expect(welcome.getByText(/Needs an API key for the actor/).isVisible()).resolves.toBe(true);

    await welcome.getByTestId('rec-load').click();
    await welcome.getByTestId('rec-ready').waitFor({ timeout: 120_000 });
    await expect(welcome.getByTestId('rec-ready').innerText()).resolves.toMatch(/Active critic: tiny-critic on (webgpu|wasm), in this browser\.$/);
    // It is the active critic now: no second place to switch it on.
    await expect(page.getByTestId('active-critic').getAttribute('data-engine')).resolves.toBe('local');
    await expect(page.getByTestId('active-critic').innerText()).resolves.toContain('tiny-critic');

    await welcome.getByTestId('start-chat').click();
    await expect(page.getByTestId('welcome').count()).resolves.toBe(0);
    await configureProvider(page, provider, { key: 'sk-first-run' });
    await page.fill('textarea[name=message]', 'I want a refund');
    await page.press('textarea[name=message]', 'Enter');
    await page.getByTestId('step').getByTestId('agent-message').last().waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('step').last().innerText()).resolves.toContain('up to $100');
    // The in-browser critic judged it.
    const verdict = page.getByTestId('step').last().getByTestId('verdict');
    await expect(verdict.getAttribute('data-decision')).resolves.toBe('approve');
    await expect(verdict.getAttribute('title')).resolves.toContain('tiny-critic');

    await page.getByTestId('tab-privacy').click();
    const note = page.getByTestId('privacy-critic');
    await expect(note.innerText()).resolves.toContain('nothing about its verdicts left this machine');
    await expect(note.getAttribute('data-critic-requests')).resolves.toBe('0');
    const purposes = await page.getByTestId('privacy-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-purpose')));
    expect(purposes).toContain('actor');
    expect(purposes).toContain('model download');
    expect(purposes).not.toContain('critic');
    expect(provider.requests.every((r) => r.model === 'actor')).toBe(true);

    // Shown once.
    await page.reload();
    await page.getByTestId('tab-chat').waitFor();
    await expect(page.getByTestId('welcome').count()).resolves.toBe(0);
    // A precision the tiny model lacks is looked for first (a 404 the engine expects).
    expect(errors.filter((e) => !/404|Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });
});
