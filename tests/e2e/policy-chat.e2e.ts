import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ProviderServerDouble } from '../doubles/provider-server-double.ts';
import { configureProvider, dumpIndexedDB, offHostRequests, useE2E } from './harness.ts';

const KEY = 'sk-e2e-SECRET-7f3a9c';
const provider = new ProviderServerDouble();
const { app, nextPage } = useE2E({ provider });
let page: Page;
let requests: string[];
let errors: string[];

beforeEach(async () => {
  ({ page, requests, errors } = await nextPage());
});

async function configure(p: Page): Promise<void> {
  await p.goto(app.url);
  await configureProvider(p, provider, { key: KEY, critic: 'critic' });
}

async function sendMessage(p: Page, text: string): Promise<void> {
  await p.fill('textarea[name=message]', text);
  await p.press('textarea[name=message]', 'Enter');
}

describe('policy chat, supervised, in a real browser', () => {
  it('shows the intervention, persists step by step, survives a reload, and keeps the key out of storage and off the network', async () => {
    provider
      .script('actor', { kind: 'message', content: "Of course! I'll refund the full $500 right away." }, { kind: 'message', content: 'I can refund up to $100 today.' })
      .script('critic', { kind: 'message', content: '{"decision": "revise", "category": "policy", "feedback": "Promises a refund over the $100 limit."}' }, { kind: 'message', content: '{"decision": "approve"}' });
    await configure(page);
    await sendMessage(page, 'I want a $500 refund');

    const intervention = page.getByTestId('intervention');
    await intervention.waitFor({ timeout: 30_000 });
    await expect(intervention.getByTestId('rejected-proposal').innerText()).resolves.toContain('$500');
    await expect(intervention.getByTestId('critic-feedback').innerText()).resolves.toContain('over the $100 limit');
    const executed = page.getByTestId('step').getByTestId('agent-message').last();
    await expect(executed.innerText()).resolves.toContain('up to $100');
    // The critic saw the policy and the rejected text; the actor saw the feedback.
    const criticReq = provider.requests.find((r) => r.model === 'critic');
    expect(JSON.stringify(criticReq?.body)).toContain('Never promise a refund over $100');
    const revisionReq = provider.requests.filter((r) => r.model === 'actor')[1];
    expect(JSON.stringify(revisionReq?.body)).toContain('Promises a refund over the $100 limit.');

    // Reload mid-episode (the agent is waiting for the user) once the step's write is durable (about a millisecond after it shows).
    await expect.poll(async () => (await dumpIndexedDB(page, 'spotter-traces')).includes('up to $100 today'), { timeout: 10_000 }).toBe(true);
    await page.reload();
    const db = await dumpIndexedDB(page, 'spotter-traces');
    const stored = JSON.parse(db) as { episodes: Array<{ status: string; timeline: Array<{ type: string }> }> };
    expect(stored.episodes).toHaveLength(1);
    expect(stored.episodes[0]?.timeline.map((e) => e.type)).toEqual(['user', 'step']);
    expect(stored.episodes[0]?.status).toBe('running');
    expect(db).not.toContain(KEY);
    const local = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(local).not.toContain(KEY);

    // It opens in the list, intervention and all.
    await page.getByTestId('tab-history').click();
    await page.getByTestId('episode-row').first().click();
    const view = page.getByTestId('episode-view');
    await view.getByTestId('intervention').waitFor();
    await expect(view.innerText()).resolves.toContain('up to $100');

    // Back in the chat, the interrupted episode resumes where it stopped (the key was not remembered: type it again).
    provider.script('actor', { kind: 'message', content: 'Your $100 refund is on its way.' }).script('critic', { kind: 'message', content: '{"decision":"approve"}' });
    await page.getByTestId('tab-chat').click();
    await page.fill('input[name=actor-base-url]', `${provider.url}/v1`);
    await page.fill('input[name=actor-model]', 'actor');
    await page.fill('input[name=actor-key]', KEY);
    await page.fill('input[name=critic-base-url]', `${provider.url}/v1`);
    await page.fill('input[name=critic-model]', 'critic');
    await page.getByTestId('resume').click();
    await sendMessage(page, 'OK, $100 then');
    await page.getByText('Your $100 refund is on its way.').waitFor({ timeout: 30_000 });
    // The screen updates before the step's write is durable: poll the store.
    const timelineTypes = async () => (JSON.parse(await dumpIndexedDB(page, 'spotter-traces')) as typeof stored).episodes.map((e) => e.timeline.map((x) => x.type));
    await expect.poll(timelineTypes, { timeout: 10_000 }).toEqual([['user', 'step', 'user', 'step']]);
    const lastActorReq = provider.requests.filter((r) => r.model === 'actor').at(-1);
    expect(JSON.stringify(lastActorReq?.body.messages)).toContain('I can refund up to $100 today.');

    expect(offHostRequests(requests)).toEqual([]);
    expect(provider.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('renders hostile model output inert', async () => {
    const hostile = [
      'Hello <img src=x onerror="window.__pwned=1">',
      '<script>window.__pwned=2</script>',
      '[click me](javascript:window.__pwned=3)',
      '![tracker](http://evil.example/pixel.png)',
      '<a href="javascript:window.__pwned=4">x</a> <iframe src="http://evil.example/"></iframe>',
    ].join('\n\n');
    provider.script('actor', { kind: 'message', content: hostile }).script('critic', { kind: 'message', content: '{"decision":"approve"}' });
    await configure(page);
    await sendMessage(page, 'hi');
    const msg = page.getByTestId('step').getByTestId('agent-message').first();
    await msg.waitFor({ timeout: 30_000 });
    await expect(msg.innerText()).resolves.toContain('click me');
    const html = await msg.innerHTML();
    expect(html).not.toMatch(/<img|<script|<iframe|onerror|javascript:/i);
    await msg.getByText('click me').click();
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(requests.some((u) => u.includes('evil.example'))).toBe(false);
    expect(offHostRequests(requests)).toEqual([]);
  });

  it('streams the actor reply through the SDK in the browser, retrying a cut stream', async () => {
    provider
      .script('actor', { kind: 'cut', content: 'This reply gets cut off' }, { kind: 'message', content: 'A complete streamed reply.' })
      .script('critic', { kind: 'message', content: '{"decision":"approve"}' });
    await configure(page);
    await page.check('input[name=actor-stream]');
    await sendMessage(page, 'hi');
    await page.getByTestId('step').getByText('A complete streamed reply.').waitFor({ timeout: 30_000 });
    const actorReqs = provider.requests.filter((r) => r.model === 'actor');
    expect(actorReqs.map((r) => r.body.stream)).toEqual([true, true]);
    await expect(page.getByTestId('step').innerText()).resolves.not.toContain('gets cut off');
  });

  it('shows the streamed text live, never stores it, and stops cleanly mid-stream', async () => {
    const reply = 'Let me check the refund limit for your order before I promise anything.';
    provider.script('actor', { kind: 'stall', content: reply });
    await configure(page);
    await page.check('input[name=actor-stream]');
    await sendMessage(page, 'refund please');
    const live = page.getByTestId('streaming');
    const half = reply.slice(0, Math.ceil(reply.length / 2));
    await expect.poll(() => live.innerText(), { timeout: 30_000 }).toBe(half);
    await page.getByTestId('abort').click();
    const status = page.getByTestId('episode-status');
    await status.waitFor({ timeout: 10_000 });
    await expect(status.getAttribute('data-status')).resolves.toBe('aborted');
    const dump = async () => JSON.parse(await dumpIndexedDB(page, 'spotter-traces')) as { episodes: Array<{ status: string }> };
    await expect.poll(async () => (await dump()).episodes.map((e) => e.status), { timeout: 10_000 }).toEqual(['aborted']);
    expect(JSON.stringify(await dump())).not.toContain(half.trim());
    expect(provider.requests.filter((r) => r.model === 'actor')).toHaveLength(1);
  });

  it('stops cleanly when the person presses Stop while the actor hangs', async () => {
    provider.script('actor', { kind: 'hang' });
    await configure(page);
    await sendMessage(page, 'hello?');
    await page.getByTestId('abort').click();
    const status = page.getByTestId('episode-status');
    await status.waitFor({ timeout: 10_000 });
    await expect(status.getAttribute('data-status')).resolves.toBe('aborted');
    const statuses = async () => (JSON.parse(await dumpIndexedDB(page, 'spotter-traces')) as { episodes: Array<{ status: string }> }).episodes.map((e) => e.status);
    await expect.poll(statuses, { timeout: 10_000 }).toEqual(['aborted']);
  });
});
