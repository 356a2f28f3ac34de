/**
 * A τ³-bench task in the Chat tab: the real retail data served beside the app (../shared/tau2-bench),
 * the original's user simulator and the agent on ProviderServerDouble, the ported tools running in the
 * browser, and the reward with its per-component breakdown in the Chat tab and in History.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderServerDouble, type RecordedRequest, type ScriptedReply } from '../doubles/provider-server-double.ts';
import { configureProvider, dumpIndexedDB, offHostRequests, seriousViolations, useE2E } from './harness.ts';

const provider = new ProviderServerDouble();
const { app, openPage } = useE2E({ provider });

const systemOf = (r: RecordedRequest): string => JSON.stringify((r.body.messages as unknown[] | undefined)?.[0] ?? '');
const isUser = (r: RecordedRequest): boolean => systemOf(r).includes('# User Simulation Guidelines');

const Task = z.object({ id: z.string(), evaluation_criteria: z.object({ actions: z.array(z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) })) }) });
const shared = resolve('..', 'shared', 'tau2-bench', 'retail');
const splits = z.record(z.string(), z.array(z.string())).parse(JSON.parse(readFileSync(resolve(shared, 'split_tasks.json'), 'utf8')));
const testIds = new Set(splits.test);
/** Test task 0 of retail (the first test id in tasks.json order), as the app numbers it. */
const task = z.array(z.unknown()).parse(JSON.parse(readFileSync(resolve(shared, 'tasks.json'), 'utf8'))).map((t) => Task.safeParse(t)).flatMap((r) => (r.success && testIds.has(r.data.id) ? [r.data] : []))[0];

describe('a τ³-bench task in the chat tab, with the simulated user', () => {
  it('plays the gold actions on the served data, scores 1 with its breakdown, and History shows the same', async () => {
    if (!task) throw new Error('no retail test task');
    const gold = task.evaluation_criteria.actions;
    let userTurns = 0;
    let agentTurns = 0;
    provider.respond('model', (r): ScriptedReply => {
      if (isUser(r)) return userTurns++ === 0 ? { kind: 'message', content: 'Hi, I want to return an item from my order.' } : { kind: 'message', content: 'Thanks, that is all. ###STOP###' };
      const a = gold[agentTurns++];
      return a ? { kind: 'tool_call', name: a.name, arguments: a.arguments } : { kind: 'message', content: 'Your return is on its way.' };
    });
    provider.respond('critic', () => ({ kind: 'message', content: '{"decision":"approve"}' }));

    const { context, page, requests, errors } = await openPage();
    await page.goto(app.url);
    await configureProvider(page, provider, { actor: 'model', key: 'k', critic: 'critic' });
    await page.selectOption('select[name=env-kind]', 'tau2');
    await page.selectOption('select[name=tau2-seat]', 'simulated');
    // The domain's data loads (from this app's server) before the episode: its task count bounds the picker.
    await expect.poll(() => page.locator('input[name=tau2-task]').getAttribute('max'), { timeout: 30_000 }).toBe('39');
    await page.getByTestId('send').click();

    const status = page.getByTestId('episode-status');
    await status.waitFor({ timeout: 60_000 });
    await expect(status.getAttribute('data-status')).resolves.toBe('done');
    await expect(status.innerText()).resolves.toContain('reward 1');
    const chatReward = page.getByTestId('tau2-reward');
    await expect(chatReward.innerText()).resolves.toContain(`τ³ task ${task.id}`);
    const components = async () =>
      page.getByTestId('tau2-component').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-component'), r.getAttribute('data-value')]));
    await expect(components()).resolves.toEqual([
      ['DB', '1'],
      ['NL_ASSERTION', '1'],
    ]);
    expect(await seriousViolations(page)).toEqual([]);

    // The agent saw the original's system prompt and the original's 16 retail tools; the user, the original's guidelines.
    const agentReq = provider.requests.find((r) => !isUser(r));
    expect(systemOf(agentReq as RecordedRequest)).toContain('<instructions>\\nYou are a customer service agent');
    expect((agentReq?.body.tools as unknown[] | undefined)?.length).toBe(16);
    const userReq = provider.requests.find(isUser);
    expect(systemOf(userReq as RecordedRequest)).toContain('<scenario>\\nInstructions:\\n\\tDomain: retail');
    expect(userReq?.body.tools).toBeUndefined();

    const Stored = z.object({ episodes: z.array(z.object({ status: z.string(), reward: z.number().optional(), meta: z.object({ environment: z.unknown(), taskIndex: z.number(), taskSplit: z.string() }) })) });
    const read = async () => Stored.parse(JSON.parse(await dumpIndexedDB(page, 'spotter-traces'))).episodes[0];
    await expect.poll(async () => (await read())?.status, { timeout: 10_000 }).toBe('done');
    expect((await read())?.meta).toMatchObject({ environment: { family: 'tau2', domain: 'retail' }, taskIndex: 0, taskSplit: 'test' });

    await page.getByTestId('tab-history').click();
    await page.getByTestId('episode-row').first().click();
    await page.getByTestId('episode-view').waitFor();
    await expect(page.getByTestId('episode-view').getByTestId('tau2-reward').innerText()).resolves.toContain('DB');
    await expect(components()).resolves.toEqual([
      ['DB', '1'],
      ['NL_ASSERTION', '1'],
    ]);
    expect(offHostRequests(requests)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('a τ³ telecom task with a person in the user\'s seat', () => {
  it('gives the person their phone\'s tools as buttons; a reload after their action resumes, and the action counts in ENV_ASSERTION', async () => {
    provider.reset();
    // small task 2: the agent enables roaming on the line (C1001/L1002); the user must turn data roaming on.
    const agent: ScriptedReply[] = [
      { kind: 'tool_call', name: 'enable_roaming', arguments: { customer_id: 'C1001', line_id: 'L1002' } },
      { kind: 'message', content: 'Roaming is enabled on your line. Please turn on data roaming on your phone.' },
      { kind: 'message', content: 'You are all set.' },
    ];
    provider.respond('model', (): ScriptedReply => agent.shift() ?? { kind: 'message', content: 'Anything else?' });
    provider.respond('critic', () => ({ kind: 'message', content: '{"decision":"approve"}' }));

    const { context, page, errors } = await openPage();
    await page.goto(app.url);
    await configureProvider(page, provider, { actor: 'model', key: 'k', critic: 'critic' });
    await page.selectOption('select[name=env-kind]', 'tau2');
    await page.selectOption('select[name=tau2-domain]', 'telecom');
    await expect.poll(() => page.locator('select[name=tau2-split] option').allInnerTexts(), { timeout: 30_000 }).toEqual(['base', 'train', 'test', 'small']);
    await page.selectOption('select[name=tau2-split]', 'small');
    await page.fill('input[name=tau2-task]', '2');
    await page.selectOption('select[name=tau2-seat]', 'human');
    await expect(page.getByTestId('tau2-instructions').innerText()).resolves.toContain('Domain: telecom');
    await page.fill('textarea[name=message]', 'My mobile data does not work abroad.');
    await page.getByTestId('send').click();

    const tools = page.getByTestId('tau2-user-tools');
    await tools.locator('button[data-tool=toggle_roaming]:enabled').waitFor({ timeout: 30_000 });
    expect(await tools.locator('button[data-tool]').count()).toBe(30);
    expect(await seriousViolations(page)).toEqual([]);
    await tools.locator('button[data-tool=toggle_roaming]').click();
    // The phone action shows in the conversation and is stored as it happens, before the person says anything.
    await expect(page.getByTestId('conversation').getByTestId('user-tool-call').innerText()).resolves.toMatch(/toggle_roaming → Data Roaming is now ON/i);
    const Timeline = z.object({ episodes: z.array(z.object({ status: z.string(), timeline: z.array(z.object({ type: z.string(), step: z.object({ index: z.number() }).optional(), call: z.object({ name: z.string() }).optional() })) })) });
    const shape = async () =>
      Timeline.parse(JSON.parse(await dumpIndexedDB(page, 'spotter-traces'))).episodes.map((e) => [e.status, ...e.timeline.map((x) => (x.step ? `step:${x.step.index}` : x.call ? `${x.type}:${x.call.name}` : x.type))]);
    await expect.poll(shape, { timeout: 10_000 }).toEqual([['running', 'user', 'step:0', 'step:1', 'user_tool:toggle_roaming']]);

    // The tab reloads mid-turn: the episode is interrupted and resumes on the same task and data, the phone's state rebuilt.
    await page.reload();
    await page.getByTestId('resume-banner').waitFor({ timeout: 10_000 });
    await configureProvider(page, provider, { actor: 'model', key: 'k', critic: 'critic' });
    // The data cannot be loaded at first: a clear error, and the episode stays interrupted with nothing lost.
    const data = '**/tau2-bench/telecom/**';
    await context.route(data, (r) => r.fulfill({ status: 503, body: 'down' }));
    await page.getByTestId('resume').click();
    await expect(page.getByTestId('start-error').innerText()).resolves.toMatch(/could not resume\. It stays interrupted[^]*telecom\/\S+: cannot read \(HTTP 503\)/);
    expect(await page.getByTestId('resume-banner').count()).toBe(1);
    await expect.poll(shape).toEqual([['running', 'user', 'step:0', 'step:1', 'user_tool:toggle_roaming']]);
    await context.unroute(data);
    await page.getByTestId('resume').click();
    await tools.locator('button[data-tool=toggle_roaming]:enabled').waitFor({ timeout: 30_000 });
    expect(await page.locator('select[name=tau2-domain]').inputValue()).toBe('telecom');
    expect(await page.locator('select[name=tau2-split]').inputValue()).toBe('small');
    expect(await page.getByTestId('conversation').getByTestId('user-tool-call').count()).toBe(1);
    expect(await page.getByTestId('start-error').count()).toBe(0);
    expect(await page.getByTestId('pack-error').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('textarea[name=message]', 'Done, data roaming is on.');
    await page.getByTestId('send').click();
    await page.getByRole('button', { name: 'End conversation' }).and(page.locator(':enabled')).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'End conversation' }).click();

    const status = page.getByTestId('episode-status');
    await status.waitFor({ timeout: 30_000 });
    await expect(status.innerText()).resolves.toContain('reward 1');
    await expect(page.getByTestId('tau2-component').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-component'), r.getAttribute('data-value')]))).resolves.toEqual([['ENV_ASSERTION', '1']]);
    await expect(page.getByTestId('tau2-reward').innerText()).resolves.toContain("The user's actions on their phone (1)");
    // One trace, no gap and no duplicate: the phone action once, before the person's words.
    await expect.poll(shape, { timeout: 10_000 }).toEqual([['done', 'user', 'step:0', 'step:1', 'user_tool:toggle_roaming', 'user', 'step:2', 'user']]);
    // History shows the phone action in its place beside the person's turns.
    await page.getByTestId('tab-history').click();
    await page.getByTestId('episode-row').first().click();
    const view = page.getByTestId('episode-view');
    await view.waitFor();
    expect(await view.locator('[data-testid^=timeline-user]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['timeline-user', 'timeline-user-tool', 'timeline-user', 'timeline-user']);
    expect(await seriousViolations(page)).toEqual([]);
    // Only the loads refused on purpose failed.
    expect(errors.filter((e) => !e.includes('status of 503'))).toEqual([]);
    await context.close();
  });
});
