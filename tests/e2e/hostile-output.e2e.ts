/**
 * Hostile provider and model output in the built app, in real Chromium:
 * a 401 that echoes the key must leave no trace of it anywhere, and a reply
 * must not redress the app, clobber globals, or hide where a link goes.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ProviderServerDouble, type ScriptedReply } from '../doubles/provider-server-double.ts';
import { configureProvider, dumpIndexedDB, offHostRequests, useE2E } from './harness.ts';

/** No common words inside: any 8-character run of it found anywhere is a leak. */
const KEY = 'sk-proj-Vq8Jd3Xw7Nz2Lk5Rb9Tm4Hc6';
const provider = new ProviderServerDouble();
const { app, nextPage } = useE2E({ provider });
let page: Page;
let requests: string[];
let errors: string[];

beforeEach(async () => {
  ({ page, requests, errors } = await nextPage({ acceptDownloads: true }));
});

async function fillProviders(p: Page): Promise<void> {
  await configureProvider(p, provider, { key: KEY, critic: 'critic' });
}

async function sendMessage(p: Page, text: string): Promise<void> {
  await p.fill('textarea[name=message]', text);
  await p.press('textarea[name=message]', 'Enter');
}

/** The actor's reply, approved by the critic, as the first agent message on screen. */
async function showReply(content: string): Promise<ReturnType<Page['getByTestId']>> {
  provider.script('actor', { kind: 'message', content }).script('critic', { kind: 'message', content: '{"decision":"approve"}' });
  await page.goto(app.url);
  await fillProviders(page);
  await sendMessage(page, 'hi');
  const msg = page.getByTestId('step').getByTestId('agent-message').first();
  await msg.waitFor({ timeout: 30_000 });
  return msg;
}

/** Every 8-character run of the key that occurs in `text`. */
function keyRuns(text: string): string[] {
  const runs: string[] = [];
  for (let i = 0; i + 8 <= KEY.length; i++) if (text.includes(KEY.slice(i, i + 8))) runs.push(KEY.slice(i, i + 8));
  return runs;
}

describe('a provider that echoes the API key in its 401', () => {
  const echoes: Array<Extract<ScriptedReply, { kind: 'echo-key' }>['echo']> = ['full', 'prefix', 'json'];
  it.each(echoes)('echo %s: no 8-character run of the key in IndexedDB, localStorage, on screen or in the JSONL export', async (echo) => {
    provider.script('actor', { kind: 'echo-key', echo });
    await page.goto(app.url);
    await fillProviders(page);
    await sendMessage(page, 'hello');
    // The failed turn waits for the person (Retry, Edit and resend, End); its details hold the scrubbed message.
    const failed = page.getByTestId('turn-failed');
    await failed.waitFor({ timeout: 30_000 });
    const shown = (await failed.getByTestId('error-details').textContent()) ?? '';
    expect(shown).toContain('HTTP 401');
    expect(shown).toContain(`sk-…${KEY.slice(-4)}`);
    await page.getByTestId('end-after-failure').click();
    const status = page.getByTestId('episode-status');
    await status.waitFor({ timeout: 10_000 });
    await expect(status.getAttribute('data-status')).resolves.toBe('error');
    // The double did send the key back.
    expect(provider.requests).toHaveLength(1);

    await expect.poll(async () => (await dumpIndexedDB(page, 'spotter-traces')).includes('"error"'), { timeout: 10_000 }).toBe(true);
    const db = await dumpIndexedDB(page, 'spotter-traces');
    expect(db).toContain('HTTP 401');
    expect(keyRuns(db)).toEqual([]);
    expect(keyRuns(await page.evaluate(() => JSON.stringify({ ...localStorage })))).toEqual([]);
    expect(keyRuns(await page.evaluate(() => document.body.innerText))).toEqual([]);

    await page.getByTestId('tab-history').click();
    await page.getByTestId('episode-row').first().click();
    await page.getByTestId('episode-view').waitFor();
    expect(keyRuns(await page.evaluate(() => document.body.innerText))).toEqual([]);
    // The export guard refused such an episode before; now it goes out, scrubbed.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-all').click()]);
    const exported = readFileSync((await download.path()) ?? '', 'utf8');
    expect(exported).toContain('HTTP 401');
    expect(keyRuns(exported)).toEqual([]);
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});

describe('hostile model output', () => {
  it('the overlay: a reply dressed in the app\'s full-screen classes stays inside its message', async () => {
    // The app's own fixed-position rules (the presentation overlay), as built; plus one of the test's own, in case that CSS loads lazily.
    await page.goto(app.url);
    const appFixed = await page.evaluate(() =>
      Array.from(document.styleSheets)
        .flatMap((s) => Array.from(s.cssRules))
        .filter((r): r is CSSStyleRule => r instanceof CSSStyleRule && r.style.position === 'fixed')
        .flatMap((r) => r.selectorText.match(/\.[\w-]+/g) ?? []),
    );
    const classes = [...new Set([...appFixed.map((c) => c.slice(1)), 'presentation', 'spotter-test-fixed'])].join(' ');
    const msg = await showReply(
      `<div class="${classes}" id="overlay" style="position:fixed;inset:0;z-index:9999">Session expired. <a href="https://evil.example/login">Sign in</a></div>`,
    );
    await page.addStyleTag({ content: '.spotter-test-fixed { position: fixed; inset: 0; z-index: 1000; background: #fff; }' });
    const overlay = msg.getByText('Session expired.');
    const [box, bubble] = await Promise.all([overlay.boundingBox(), msg.boundingBox()]);
    expect(box && bubble).toBeTruthy();
    if (!box || !bubble) return;
    expect(box.x).toBeGreaterThanOrEqual(bubble.x);
    expect(box.y).toBeGreaterThanOrEqual(bubble.y);
    expect(box.x + box.width).toBeLessThanOrEqual(bubble.x + bubble.width + 0.5);
    expect(box.y + box.height).toBeLessThanOrEqual(bubble.y + bubble.height + 0.5);
    // Nothing in the reply kept a class, an id or a style, or sits fixed; the top-left of the page is still the app.
    const inside = await msg.evaluate((m) =>
      Array.from(m.querySelectorAll('.md *')).map((e) => ({ attrs: e.getAttributeNames().filter((a) => !['href', 'target', 'rel'].includes(a)), position: getComputedStyle(e).position })),
    );
    expect(inside.flatMap((e) => e.attrs)).toEqual([]);
    expect(inside.map((e) => e.position)).not.toContain('fixed');
    expect(await msg.evaluate((m) => getComputedStyle(m.querySelector('.md') ?? m).contain)).toMatch(/content|paint/);
    const topLeft = await page.evaluate(() => document.elementFromPoint(5, 5)?.closest('[data-testid=agent-message]') ?? null);
    expect(topLeft).toBeNull();
    expect(errors).toEqual([]);
  });

  it('an id="process" anchor: window.process (and ort, __svelte_meta) stay unchanged', async () => {
    await page.goto(app.url);
    const globals = () => page.evaluate(() => ['process', 'ort', '__svelte_meta', 'EdgeRuntime'].map((k) => `${k}:${String((window as unknown as Record<string, unknown>)[k])}`));
    const before = await globals();
    const msg = await showReply(
      '<a id="process" name="process" href="https://a.example/">p</a> <div id="ort">o</div> <a name="__svelte_meta" id="EdgeRuntime">s</a>',
    );
    await expect(msg.innerText()).resolves.toContain('p');
    expect(await globals()).toEqual(before);
    expect(await msg.evaluate((m) => m.querySelectorAll('[id], [name]').length)).toBe(0);
  });

  it('a stored reply with <a id="EdgeRuntime">: after a reload and "Resume it", the episode\'s provider calls still work', async () => {
    await showReply('Noted. <a id="EdgeRuntime" href="https://a.example/">details</a>');
    await expect.poll(async () => (await dumpIndexedDB(page, 'spotter-traces')).includes('EdgeRuntime'), { timeout: 10_000 }).toBe(true);
    await page.reload();
    provider.script('actor', { kind: 'message', content: 'Still here after the reload.' }).script('critic', { kind: 'message', content: '{"decision":"approve"}' });
    await fillProviders(page);
    await page.getByTestId('resume').click();
    // The stored reply is on screen again before the first call of this page load.
    await page.getByTestId('agent-message').getByText('details').waitFor();
    await sendMessage(page, 'are you there?');
    // Before: "Cannot read properties of undefined (reading 'version')" from the SDK, as the episode's error.
    await page.getByText('Still here after the reload.').or(page.getByTestId('episode-status')).first().waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('episode-status').count()).resolves.toBe(0);
    await expect(page.getByText('Still here after the reload.').count()).resolves.toBe(1);
    expect(await page.evaluate(() => typeof (window as unknown as Record<string, unknown>)['EdgeRuntime'])).toBe('undefined');
    expect(provider.requests.filter((r) => r.model === 'actor')).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('a link whose text says one host and whose href goes to another shows the real host beside it', async () => {
    const msg = await showReply(
      [
        'Log in at [https://bank.example/login](https://evil.example/steal) or [bank.example](http://evil.example/) now.',
        'Same host: [https://docs.example/a](https://docs.example/b). Plain words: [Sign in](https://evil.example/x).',
      ].join('\n\n'),
    );
    const links = await msg.evaluate((m) =>
      Array.from(m.querySelectorAll('a')).map((a) => ({
        text: a.textContent,
        rel: a.getAttribute('rel'),
        target: a.getAttribute('target'),
        beside: a.nextElementSibling?.classList.contains('link-host') ? a.nextElementSibling.textContent : null,
      })),
    );
    expect(links).toEqual([
      { text: 'https://bank.example/login', rel: 'noopener noreferrer nofollow', target: '_blank', beside: ' (evil.example)' },
      { text: 'bank.example', rel: 'noopener noreferrer nofollow', target: '_blank', beside: ' (evil.example)' },
      { text: 'https://docs.example/a', rel: 'noopener noreferrer nofollow', target: '_blank', beside: null },
      { text: 'Sign in', rel: 'noopener noreferrer nofollow', target: '_blank', beside: null },
    ]);
    await expect(msg.innerText()).resolves.toContain('https://bank.example/login (evil.example)');
    expect(offHostRequests(requests)).toEqual([]);
  });

  it('keeps what markdown needs: titles, list starts and table alignment', async () => {
    const msg = await showReply('[t](https://a.example/ "the title")\n\n3. third\n4. fourth\n\n| l | c |\n|:--|:-:|\n| 1 | 2 |\n\n```js\nx\n```');
    expect(await msg.evaluate((m) => m.querySelector('a')?.getAttribute('title'))).toBe('the title');
    expect(await msg.evaluate((m) => m.querySelector('ol')?.getAttribute('start'))).toBe('3');
    expect(await msg.evaluate((m) => Array.from(m.querySelectorAll('th')).map((t) => t.getAttribute('align')))).toEqual(['left', 'center']);
    expect(await msg.evaluate((m) => m.querySelector('code')?.getAttributeNames())).toEqual([]);
  });
});
