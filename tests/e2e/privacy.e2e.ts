/**
 * "What left this browser" against Chromium's own network log: a supervised
 * policy-chat episode (actor and remote critic at a local provider double)
 * and a tau-bench pack load; every request the page and its workers made,
 * except the app's own files, is in the panel, request for request, with its
 * purpose, and the key is never on screen.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Request } from 'playwright-core';
import { toJsonl } from '../../src/lib/traces/jsonl.ts';
import { syntheticTrace } from '../fixtures/synthetic-traces.ts';
import { ProviderServerDouble } from '../doubles/provider-server-double.ts';
import { configureProvider, useE2E } from './harness.ts';

const KEY = 'sk-e2e-PRIVACY-4b1d';
const provider = new ProviderServerDouble();
const { app, openPage } = useE2E({ provider });

/** The app's own files (the shell, its chunks, the service worker): not requests the app "made". */
function isAppFile(url: URL, appOrigin: string): boolean {
  return url.origin === appOrigin && (/^\/(assets\/.*|sw\.js|icon\.svg|manifest\.webmanifest)?$/.test(url.pathname));
}

describe('What left this browser', () => {
  it('lists every request Chromium saw the app make, with purpose and key flag, never the key', async () => {
    provider
      .script('actor', { kind: 'message', content: "Of course! I'll refund the full $500 right away." }, { kind: 'message', content: 'I can refund up to $100 today.' })
      .script('critic', { kind: 'message', content: '{"decision": "revise", "feedback": "Over the $100 limit."}' }, { kind: 'message', content: '{"decision": "approve"}' });
    const { context, page, errors } = await openPage();
    const seen: Request[] = [];
    // Requests the page and its workers made; a service worker's own fetches are its cache at work.
    context.on('request', (r) => {
      if (!r.serviceWorker() && /^https?:/.test(r.url())) seen.push(r);
    });
    await page.goto(app.url);
    // The tau-bench pack, loaded through the pack loader; then back to the policy chat.
    await page.selectOption('select[name=env-kind]', 'tau-bench');
    await page.getByText('Your instructions as the customer').waitFor({ timeout: 30_000 });
    await page.selectOption('select[name=env-kind]', 'policy-chat');
    await configureProvider(page, provider, { key: KEY, critic: 'critic' });
    await page.fill('textarea[name=message]', 'I want a $500 refund');
    await page.press('textarea[name=message]', 'Enter');
    await page.getByTestId('intervention').waitFor({ timeout: 30_000 });
    await page.getByTestId('step').getByTestId('agent-message').last().waitFor();

    await page.getByTestId('tab-privacy').click();
    const panel = page.getByTestId('privacy-panel');
    await panel.waitFor();
    const origin = new URL(app.url).origin;
    const expected = seen
      .map((r) => ({ method: r.method(), url: new URL(r.url()) }))
      .filter((r) => !isAppFile(r.url, origin))
      .map((r) => `${r.method} ${r.url.origin}${r.url.pathname}`)
      .sort();
    const rows = () =>
      page.getByTestId('privacy-row').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-method')} ${e.getAttribute('data-url')}`).sort());
    await expect.poll(rows, { timeout: 10_000 }).toEqual(expected);

    const purposes = await page.getByTestId('privacy-row').evaluateAll((els) => els.map((e) => [e.getAttribute('data-url') ?? '', e.getAttribute('data-purpose') ?? ''] as const));
    const purposeOf = (re: RegExp) => new Set(purposes.filter(([u]) => re.test(u)).map(([, p]) => p));
    expect(purposeOf(/\/v1\/chat\/completions$/)).toEqual(new Set(['actor', 'critic']));
    expect(purposeOf(/\/tau-bench\//)).toEqual(new Set(['pack']));
    expect(expected.filter((e) => e.includes('/v1/chat/completions'))).toHaveLength(4);
    expect(expected.filter((e) => e.includes('/tau-bench/')).length).toBeGreaterThan(3);
    // Provider requests carried the key (as a header); the panel says so without showing it.
    const text = await panel.innerText();
    expect(text).toContain('yes (authorization)');
    expect(text).not.toContain(KEY);
    expect(await page.getByTestId('privacy-critic').innerText()).toContain('The critic is remote');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens a JSONL file of episodes from a URL (another host), imports it, and lists that request as "episodes"', async () => {
    const body = toJsonl([1, 2, 3].map(syntheticTrace));
    const files = createServer((req, res) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      if (req.url === '/talk/episodes.jsonl') res.writeHead(200, { 'Content-Type': 'application/jsonl' }).end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => files.listen(0, '127.0.0.1', ok));
    const filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    const { context, page } = await openPage();
    try {
      await page.goto(app.url);
      await page.getByTestId('close-welcome').click();
      await page.getByTestId('tab-history').click();
      await page.fill('input[name=import-url]', `${filesUrl}/talk/missing.jsonl`);
      await page.getByTestId('import-url').click();
      await expect.poll(() => page.getByTestId('import-notice').getAttribute('data-kind')).toBe('error');
      await expect(page.getByTestId('import-notice').innerText()).resolves.toMatch(/HTTP 404.*Nothing was written/);
      await page.fill('input[name=import-url]', `${filesUrl}/talk/episodes.jsonl`);
      await page.getByTestId('import-url').click();
      await expect.poll(() => page.getByTestId('import-notice').innerText()).toBe('Imported 3 episodes.');
      await page.getByTestId('tab-privacy').click();
      // The panel loads on first open: wait for its rows before reading them.
      await page.getByTestId('privacy-row').first().waitFor();
      const rows = await page.getByTestId('privacy-row').evaluateAll((els) => els.map((e) => [e.getAttribute('data-purpose'), e.getAttribute('data-url')]));
      expect(rows).toEqual([
        ['episodes', `${filesUrl}/talk/missing.jsonl`],
        ['episodes', `${filesUrl}/talk/episodes.jsonl`],
      ]);
    } finally {
      await context.close();
      await new Promise<void>((ok) => files.close(() => ok()));
    }
  });
});
