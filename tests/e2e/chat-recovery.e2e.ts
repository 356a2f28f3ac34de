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

/** Two readings of the live line in one attempt, the later with fewer seconds left. */
function countedDown(lines: readonly string[]): boolean {
  const parsed = lines.flatMap((l) => {
    const m = /^retrying \((\d) of 4, (\d+) s\)$/.exec(l);
    return m ? [{ attempt: Number(m[1]), left: Number(m[2]) }] : [];
  });
  return parsed.some((a, i) => parsed.slice(i + 1).some((b) => b.attempt === a.attempt && b.left < a.left));
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
    // It counts down live: one attempt's seconds go down while the person watches.
    const seen: string[] = [];
    const heard = new Set<string>();
    await expect
      .poll(
        async () => {
          // One reading of the line: what it shows, whether that is hidden from screen readers, and what they hear.
          const r = await page.evaluate(() => ({
            shown: document.querySelector('[data-testid=activity]')?.textContent ?? '',
            hidden: document.querySelector('[data-testid=activity]')?.getAttribute('aria-hidden') ?? '',
            said: document.querySelector('[data-testid=activity-announcement]')?.textContent ?? '',
          }));
          if (r.shown.startsWith('retrying')) {
            seen.push(r.shown);
            heard.add(`${r.hidden}|${r.said}`);
          }
          return countedDown(seen);
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBe(true);
    // Read out politely, once per attempt: the ticking text is hidden from screen readers, the announcement is not.
    expect(await page.getByTestId('activity-line').getAttribute('aria-live')).toBe('polite');
    expect(await seriousViolations(page)).toEqual([]);
    expect([...heard].length).toBeGreaterThan(0);
    for (const h of heard) expect(h).toMatch(/^true\|The provider call failed; retrying, attempt \d of 4, in \d+ seconds?\.$/);
    // Fewer distinct announcements than distinct countdown readings: the seconds are not read out.
    expect(heard.size).toBeLessThan(new Set(seen).size);
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

describe("a simulated user's failed reply keeps the episode open too", () => {
  it('tau-bench: the user model answers 500, Retry asks it again; the episode goes on, the trace has no gap or duplicate', async () => {
    const systemOf = (r: { body: Record<string, unknown> }) => JSON.stringify((r.body.messages as unknown[] | undefined)?.[0] ?? '');
    const isUser = (r: { body: Record<string, unknown> }) => systemOf(r).includes('You are a user interacting with an agent');
    let userCalls = 0;
    provider.respond('model', (r) => {
      if (!isUser(r)) return { kind: 'message', content: 'Which order would you like to return?' };
      userCalls++;
      if (userCalls === 1) return { kind: 'message', content: 'Hi, I want to return an order.' };
      // The reply to the agent fails: the first call and its four retries (Retry-After 0: no waiting).
      if (userCalls <= 6) return { kind: 'status', status: 500, retryAfterS: 0, message: 'user model exploded' };
      return { kind: 'message', content: 'Order #W1, thanks. ###STOP###' };
    });
    provider.respond('critic', () => approve);
    await open(page);
    await configureProvider(page, provider, { key: KEY, actor: 'model', critic: 'critic' });
    await page.selectOption('select[name=env-kind]', 'tau-bench');
    await page.selectOption('select[name=tau-seat]', 'simulated');
    await page.getByTestId('send').click();

    const failed = page.getByTestId('turn-failed');
    await failed.waitFor({ timeout: 60_000 });
    await expect(failed.innerText()).resolves.toContain("The simulated user's reply failed. The episode is still open");
    expect(await failed.getAttribute('data-reason')).toBe('server');
    // No message of the person's to edit: Retry and End only.
    expect(await page.getByTestId('edit-resend').count()).toBe(0);
    expect(await page.getByTestId('episode-status').count()).toBe(0);
    expect((await stored(page)).episodes.map((e) => e.status)).toEqual(['running']);
    expect(await seriousViolations(page)).toEqual([]);
    // The same on a phone in dark mode.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('retry-turn').click();
    const status = page.getByTestId('episode-status');
    await status.waitFor({ timeout: 30_000 });
    await expect(status.getAttribute('data-status')).resolves.toBe('done');
    const shape = async () => (await stored(page)).episodes.map((e) => [e.status, ...e.timeline.map((x) => (x.type === 'user' ? `user:${x.content}` : `step:${x.step?.index}`))]);
    await expect.poll(shape, { timeout: 10_000 }).toEqual([['done', 'user:Hi, I want to return an order.', 'step:0', 'user:Order #W1, thanks. ###STOP###']]);
    // The retried call carried the same conversation as the failed ones: the agent's question once.
    const userBodies = provider.requests.filter(isUser).map((r) => JSON.stringify(r.body.messages));
    expect(userBodies).toHaveLength(7);
    expect(new Set(userBodies.slice(1)).size).toBe(1);
    expect(userBodies[6]?.match(/Which order would you like to return\?/g)).toHaveLength(1);
  }, 120_000);
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

/** The critic approves; 'hello' gets the actor's scripted 'First answer.', and its two timeline entries are stored. */
async function firstTurnStored(p: Page): Promise<void> {
  provider.respond('critic', () => approve);
  await open(p);
  await configureProvider(p, provider, { key: KEY, critic: 'critic' });
  await sendMessage(p, 'hello');
  await p.getByText('First answer.').waitFor({ timeout: 30_000 });
  await expect.poll(async () => (await stored(p)).episodes[0]?.timeline.length, { timeout: 10_000 }).toBe(2);
}

describe('interrupted episodes', () => {
  it('an episode another tab runs is not offered; once that tab closes it is "interrupted", resumes, and Dismiss sticks', async () => {
    provider.script('actor', { kind: 'message', content: 'First answer.' }, { kind: 'message', content: 'Second answer, after resuming.' });
    await firstTurnStored(page);

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

describe('Resume from History', () => {
  it('a closed-tab episode shows as interrupted in History, and Resume (by keyboard) continues it in Chat', async () => {
    provider.script('actor', { kind: 'message', content: 'First answer.' }, { kind: 'message', content: 'Second answer, resumed from History.' });
    await firstTurnStored(page);
    const id = (await stored(page)).episodes[0]?.id ?? '';

    // While its tab runs it, History offers no Resume.
    const second = await page.context().newPage();
    await second.goto(`${app.url}/#/history/${id}`);
    await second.getByTestId('episode-view').waitFor();
    expect(await second.getByTestId('resume-episode').count()).toBe(0);

    // The tab closes mid-episode: History calls it interrupted, with Resume.
    await page.close();
    await second.reload();
    await second.getByTestId('episode-view').waitFor();
    await expect(second.getByTestId('interrupted-status').innerText()).resolves.toMatch(/interrupted/);
    const resume = second.getByTestId('resume-episode');
    await resume.waitFor({ timeout: 10_000 });
    expect(await seriousViolations(second)).toEqual([]);
    await second.emulateMedia({ colorScheme: 'dark' });
    await second.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => resume.isVisible()).toBe(true);
    expect(await seriousViolations(second)).toEqual([]);
    await second.setViewportSize({ width: 1280, height: 800 });
    // The key is not remembered across tabs: set it in Chat's setup first, then come back by the URL.
    await second.getByTestId('tab-chat').click();
    await configureProvider(second, provider, { key: KEY, critic: 'critic' });
    await second.goto(`${app.url}/#/history/${id}`);
    await resume.waitFor({ timeout: 10_000 });
    await resume.focus();
    await second.keyboard.press('Enter');

    // The Chat tab takes over, with the conversation so far and the composer focused for the person's turn.
    await expect.poll(() => second.getByTestId('tab-chat').getAttribute('aria-selected'), { timeout: 10_000 }).toBe('true');
    await second.getByText('First answer.').waitFor({ timeout: 10_000 });
    await expect.poll(() => second.evaluate(() => document.activeElement?.getAttribute('name')), { timeout: 5_000 }).toBe('message');
    await second.keyboard.type('and then?');
    await second.keyboard.press('Enter');
    await second.getByText('Second answer, resumed from History.').waitFor({ timeout: 30_000 });
    const shape = async () => (await stored(second)).episodes.map((e) => [e.id, ...e.timeline.map((x) => (x.type === 'user' ? `user:${x.content}` : `step:${x.step?.index}`))]);
    await expect.poll(shape, { timeout: 10_000 }).toEqual([[id, 'user:hello', 'step:0', 'user:and then?', 'step:1']]);

    // Back in History it runs here now: no Resume, not interrupted.
    await second.getByTestId('tab-history').click();
    await second.getByTestId('episode-list').waitFor();
    await second.goto(`${app.url}/#/history/${id}`);
    await second.getByTestId('episode-view').waitFor();
    expect(await second.getByTestId('resume-episode').count()).toBe(0);
  }, 120_000);
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
    // …which is a network failure at the model host, and says so.
    expect(await error.getAttribute('data-reason')).toBe('network');
    await expect(error.getByTestId('error-why').innerText()).resolves.toMatch(/model host is down or unreachable/);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('web-llm from an unreachable model host: one network error with its hint, one progress display while it tried', async () => {
    const { context, page: p, requests } = await openPage();
    await open(p);
    await p.getByTestId('tab-critic').click();
    await p.getByLabel('web-llm (WebGPU)').check();
    await p.getByLabel('Custom model (e.g. a critic fine-tuned on your exported data)').check();
    const dead = 'http://127.0.0.1:9/nowhere';
    await p.getByLabel('Model id').fill('dead-critic-q4f32_1-MLC');
    await p.getByLabel('Weights URL').fill(`${dead}/dead-critic-q4f32_1-MLC/`);
    await p.getByLabel('Model library URL').fill(`${dead}/dead-critic.wasm`);
    // Sample the page while it loads: never two progress displays, never two errors.
    let most = { progress: 0, errors: 0 };
    const sampler = setInterval(() => {
      void p
        .evaluate(() => ({ progress: document.querySelectorAll('progress').length, errors: document.querySelectorAll('[data-testid=critic-error]').length }))
        .then((n) => (most = { progress: Math.max(most.progress, n.progress), errors: Math.max(most.errors, n.errors) }))
        .catch(() => undefined);
    }, 50);
    await p.getByTestId('critic-load').click();
    const error = p.getByTestId('critic-error');
    try {
      await error.waitFor({ timeout: 60_000 });
      await p.waitForTimeout(300);
    } finally {
      clearInterval(sampler);
    }
    expect(await error.count()).toBe(1);
    expect(most.progress).toBeLessThanOrEqual(1);
    expect(most.errors).toBe(1);
    expect(await p.getByTestId('critic-progress').count()).toBe(0);
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await error.getAttribute('data-reason')).toBe('network');
    await expect(error.getByTestId('error-why').innerText()).resolves.toMatch(/model's files could not be downloaded.*model host is down or unreachable/);
    await expect(error.getByTestId('error-details').textContent()).resolves.toMatch(/Failed to fetch|NetworkError/);
    // It asked the host it was given, and nothing else off this machine.
    expect(requests.some((u) => u.startsWith(dead))).toBe(true);
    expect(await seriousViolations(p)).toEqual([]);
    await context.close();
  });
});
