/**
 * Nothing typed or done is lost (issue 20): a provider error mid-chat keeps
 * the episode open with Retry and Edit and resend; a failed start keeps the
 * draft; an episode whose tab closed becomes "interrupted" and resumes; the
 * transcript follows new messages unless the person scrolled up. All through
 * ProviderServerDouble's faults and the app's real SDK path.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ProviderServerDouble } from '../doubles/provider-server-double.ts';
import { configureProvider, dumpIndexedDB, screenshot, seriousViolations, useE2E } from './harness.ts';

const KEY = 'sk-e2e-recovery-4d1e';
const provider = new ProviderServerDouble();
const { app, nextPage, openPage } = useE2E({ provider });
let page: Page;

beforeEach(async () => {
  ({ page } = await nextPage());
});

async function open(p: Page): Promise<void> {
  await p.goto(app.url);
  if (await p.getByTestId('welcome').count()) await p.getByTestId('close-welcome').click();
}

async function sendMessage(p: Page, text: string): Promise<void> {
  await p.fill('textarea[name=message]', text);
  await p.press('textarea[name=message]', 'Enter');
}

interface Stored {
  episodes: Array<{ id: string; status: string; timeline: Array<{ type: string; content?: string; step?: { index: number } }> }>;
}
const stored = async (p: Page) => JSON.parse(await dumpIndexedDB(p, 'spotter-traces')) as Stored;
const approve = { kind: 'message', content: '{"decision":"approve"}' } as const;

describe('a failed turn keeps the episode open', () => {
  it('a 500 mid-chat retries live, then offers Retry: the episode goes on, the trace has no gap or duplicate', async () => {
    const fail = { kind: 'status', status: 500, message: 'upstream exploded' } as const;
    // One good turn, then five 500s: the first call and its four retries.
    provider.script('actor', { kind: 'message', content: 'Hello! How can I help?' }, fail, fail, fail, fail, fail, { kind: 'message', content: 'Refunds up to $100 are fine.' });
    provider.respond('critic', () => approve);
    await open(page);
    await configureProvider(page, provider, { key: KEY, critic: 'critic' });
    await sendMessage(page, 'hi');
    await page.getByText('Hello! How can I help?').waitFor({ timeout: 30_000 });
    await sendMessage(page, 'I want a refund');
    // The retry layer reports its attempts in the live line.
    await expect.poll(() => page.getByTestId('activity').innerText().catch(() => ''), { timeout: 20_000 }).toMatch(/^retrying \(\d of 4, \d+ s\)$/);
    const failed = page.getByTestId('turn-failed');
    await failed.waitFor({ timeout: 60_000 });
    expect(await failed.getAttribute('role')).toBe('alert');
    expect(await failed.getAttribute('data-reason')).toBe('server');
    await expect(failed.getByTestId('error-why').innerText()).resolves.toMatch(/failed on its side/);
    // Still running: no end, no "first message" placeholder.
    expect(await page.getByTestId('episode-status').count()).toBe(0);
    expect((await stored(page)).episodes.map((e) => e.status)).toEqual(['running']);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('retry-turn').click();
    await page.getByText('Refunds up to $100 are fine.').waitFor({ timeout: 30_000 });
    expect(await failed.count()).toBe(0);
    const shape = async () => (await stored(page)).episodes.map((e) => e.timeline.map((x) => (x.type === 'user' ? `user:${x.content}` : `step:${x.step?.index}`)));
    await expect.poll(shape, { timeout: 10_000 }).toEqual([['user:hi', 'step:0', 'user:I want a refund', 'step:1']]);
    expect(provider.requests.filter((r) => r.model === 'actor')).toHaveLength(7);
  }, 120_000);

  it('a rejected key: Edit and resend puts the message back, and the edited one replaces it', async () => {
    provider.script('actor', { kind: 'echo-key', echo: 'prefix' }, { kind: 'message', content: 'Sure, here is the edited answer.' });
    provider.respond('critic', () => approve);
    await open(page);
    await configureProvider(page, provider, { key: KEY, critic: 'critic' });
    await sendMessage(page, 'first try with a typo');
    const failed = page.getByTestId('turn-failed');
    await failed.waitFor({ timeout: 30_000 });
    expect(await failed.getAttribute('data-reason')).toBe('key');
    await screenshot(page, 'chat-error-desktop');
    // The status is said once, not "HTTP 401: 401 …".
    const details = await failed.getByTestId('error-details').textContent();
    expect(details).toContain('HTTP 401: Incorrect API key');
    expect(details).not.toContain('HTTP 401: 401');
    await page.getByTestId('edit-resend').click();
    await expect(page.inputValue('textarea[name=message]')).resolves.toBe('first try with a typo');
    await sendMessage(page, 'second try, fixed');
    await page.getByText('Sure, here is the edited answer.').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await stored(page)).episodes[0]?.timeline.map((x) => x.content ?? 'step'), { timeout: 10_000 }).toEqual(['second try, fixed', 'step']);
    expect(await page.getByText('first try with a typo').count()).toBe(0);
  });
});

describe('nothing typed is lost', () => {
  it('a start that cannot happen keeps the draft and says which field to fix, before any request goes out', async () => {
    provider.script('actor', { kind: 'message', content: 'Started fine.' }).respond('critic', () => approve);
    await open(page);
    await configureProvider(page, provider, { key: KEY, critic: 'critic' });
    await page.fill('input[name=actor-base-url]', 'api.example/v1');
    await page.fill('input[name=actor-key]', '');
    await sendMessage(page, 'please keep this message');
    await page.getByTestId('setup-blocked').waitFor();
    await expect(page.inputValue('textarea[name=message]')).resolves.toBe('please keep this message');
    await expect(page.getByTestId('problem-actor-base-url').innerText()).resolves.toMatch(/not a web address/);
    await expect(page.getByTestId('problem-actor-key').innerText()).resolves.toMatch(/needs an API key/);
    expect(await page.locator('input[name=actor-key]').getAttribute('aria-invalid')).toBe('true');
    expect(provider.requests).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);

    await page.fill('input[name=actor-base-url]', `${provider.url}/v1`);
    await page.press('textarea[name=message]', 'Enter');
    await page.getByText('Started fine.').waitFor({ timeout: 30_000 });
    await expect(page.inputValue('textarea[name=message]')).resolves.toBe('');
    expect(await page.getByTestId('problem-actor-key').count()).toBe(0);
  });

  it('the in-browser critic picked but not loaded after a reload: the draft stays, the panel says why', async () => {
    await open(page);
    await configureProvider(page, provider, { key: KEY, critic: 'critic' });
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('spotter.settings.v1') ?? '{}') as Record<string, unknown>;
      localStorage.setItem('spotter.settings.v1', JSON.stringify({ ...s, criticOnDevice: true }));
    });
    await page.reload();
    await page.fill('input[name=actor-key]', KEY);
    await expect(page.getByTestId('active-critic').innerText()).resolves.toMatch(/In this browser, not loaded/);
    await sendMessage(page, 'my carefully typed question');
    await page.getByTestId('setup-blocked').waitFor();
    await expect(page.getByTestId('problem-active-critic').innerText()).resolves.toMatch(/not loaded/);
    await expect(page.inputValue('textarea[name=message]')).resolves.toBe('my carefully typed question');
    expect(provider.requests).toEqual([]);
  });
});

describe('interrupted episodes', () => {
  it('an episode another tab runs is not offered; once that tab closes it is "interrupted", resumes, and Dismiss sticks', async () => {
    provider.script('actor', { kind: 'message', content: 'First answer.' }, { kind: 'message', content: 'Second answer, after resuming.' });
    provider.respond('critic', () => approve);
    await open(page);
    await configureProvider(page, provider, { key: KEY, critic: 'critic' });
    await sendMessage(page, 'hello');
    await page.getByText('First answer.').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await stored(page)).episodes[0]?.timeline.length, { timeout: 10_000 }).toBe(2);

    // A second tab of the same browser: the first still runs the episode, so nothing is offered.
    const second = await page.context().newPage();
    await open(second);
    await second.getByTestId('conversation').waitFor({ state: 'attached' });
    await second.waitForTimeout(500);
    expect(await second.getByTestId('resume-banner').count()).toBe(0);

    // The first tab closes mid-episode: now it is interrupted.
    await page.close();
    await second.reload();
    const banner = second.getByTestId('resume-banner');
    await banner.waitFor({ timeout: 10_000 });
    await configureProvider(second, provider, { key: KEY, critic: 'critic' });
    await second.getByTestId('resume').click();
    await sendMessage(second, 'and then?');
    await second.getByText('Second answer, after resuming.').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await stored(second)).episodes.map((e) => e.timeline.length), { timeout: 10_000 }).toEqual([4]);

    // Closed again, then dismissed: the banner does not come back after a reload.
    const third = await second.context().newPage();
    await second.close();
    await open(third);
    await third.getByTestId('resume-banner').waitFor({ timeout: 10_000 });
    await third.getByTestId('dismiss-interrupted').click();
    await third.reload();
    await third.getByTestId('conversation').waitFor({ state: 'attached' });
    await third.waitForTimeout(500);
    expect(await third.getByTestId('resume-banner').count()).toBe(0);
  });
});

describe('a transcript that follows', () => {
  it('scrolls to each new message; scrolled up, a "new messages" pill appears and takes the reader down', async () => {
    let n = 0;
    const reply = (): { kind: 'message'; content: string } => ({ kind: 'message', content: `Reply number ${++n}.\n\n${'A long paragraph of policy text. '.repeat(30)}` });
    provider.respond('actor', () => (n === 3 ? { kind: 'delay', ms: 1500, then: reply() } : reply()));
    provider.respond('critic', () => approve);
    const opened = await openPage({ viewport: { width: 900, height: 600 } });
    const p = opened.page;
    await open(p);
    await configureProvider(p, provider, { key: KEY, critic: 'critic' });
    const lastVisible = async () =>
      p.evaluate(() => {
        const msgs = document.querySelectorAll('[data-testid=agent-message]');
        const last = msgs[msgs.length - 1];
        const composer = document.querySelector('form.composer');
        if (!last || !composer) return false;
        const r = last.getBoundingClientRect();
        // In the viewport and not under the sticky composer.
        return r.bottom > 0 && r.bottom <= composer.getBoundingClientRect().top + 1;
      });
    for (let i = 1; i <= 3; i++) {
      await sendMessage(p, `message ${i}`);
      await p.getByText(`Reply number ${i}.`).waitFor({ timeout: 30_000 });
      await expect.poll(lastVisible, { timeout: 5_000 }).toBe(true);
    }
    // Sending brings the reader down; scrolled up while the (slow) reply comes, the page stays; a pill says there is more.
    await sendMessage(p, 'message 4');
    // Let the send's own scroll down finish first (it is smooth), so the reader's scroll up is the last one.
    await p.getByText('message 4').waitFor();
    let settled = -1;
    await expect.poll(async () => { const y = await p.evaluate(() => window.scrollY); const same = y === settled; settled = y; return same; }, { timeout: 5_000, interval: 150 }).toBe(true);
    await p.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
    await p.getByText('Reply number 4.').waitFor({ timeout: 30_000 });
    const pill = p.getByTestId('new-messages');
    await pill.waitFor({ timeout: 5_000 });
    expect(await p.evaluate(() => window.scrollY)).toBeLessThan(50);
    await pill.click();
    await expect.poll(lastVisible, { timeout: 5_000 }).toBe(true);
    expect(await pill.count()).toBe(0);
    await opened.context.close();
  });
});

describe('the Critic tab', () => {
  it('one error display, a full-width model id, and disabled controls that say why', async () => {
    await open(page);
    await page.getByTestId('tab-critic').click();
    await page.getByLabel('transformers.js (WebGPU or wasm)').check();
    const id = 'http://127.0.0.1:9/nowhere/a-critic-model-with-a-long-name-q4f16_1';
    await page.getByTestId('tf-model').fill(id);
    const box = await page.getByTestId('tf-model').evaluate((el: HTMLInputElement) => el.scrollWidth <= el.clientWidth);
    expect(box).toBe(true);
    await expect(page.getByTestId('critic-not-loaded').innerText()).resolves.toMatch(/once a model is loaded/);
    await expect(page.getByTestId('rec-remote').innerText()).resolves.toBe('Remote critic in use');
    await page.getByTestId('critic-load').click();
    const error = page.getByTestId('critic-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('critic-error').count()).toBe(1);
    // transformers.js reports an unreachable host as a tokenizer it could not read; the message names the model URL.
    await expect(error.textContent()).resolves.toContain(`Tokenizer of ${id} could not be loaded`);
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
