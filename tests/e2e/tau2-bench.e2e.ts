/**
 * A τ³ telecom run through the Benchmark tab, in headless Chromium: the real telecom data served beside the
 * app (../shared/tau2-bench), the agent and the simulated user on ProviderServerDouble over the app's real
 * OpenAI client, and two configurations: the actor alone, and the tiny repo-generated critic (transformers.js,
 * wasm, in its worker) intervening. The simulated user gets its phone's tools in its requests and answers
 * with a tool call, as the task's gold actions say; the ported phone runs it on the user's own database, and
 * the task's ENV_ASSERTION (which needs that call) decides the reward. The run's results table and the
 * intervene episode in History, with its per-component breakdown and the user's phone action, are checked,
 * and the Data tab reads both episodes with their τ³ tools and gold.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PREFLIGHT_PROMPT } from '../../src/lib/runs/preflight.ts';
import { ProviderServerDouble, type RecordedRequest, type ScriptedReply } from '../doubles/provider-server-double.ts';
import { dumpIndexedDB, loadCritic, offHostRequests, openWithSettings, seriousViolations, useE2E, waitFor } from './harness.ts';

const Action = z.object({ requestor: z.enum(['assistant', 'user']), name: z.string(), arguments: z.record(z.string(), z.unknown()) });
const Task = z.object({ id: z.string(), evaluation_criteria: z.object({ reward_basis: z.array(z.string()), actions: z.array(Action) }) });
const telecom = resolve(process.env.SPOTTER_TAU2_DIR ?? resolve('..', 'shared', 'tau2-bench'), 'telecom');
const smallTasks = z.array(Task).parse(JSON.parse(readFileSync(resolve(telecom, 'tasks_small.json'), 'utf8')));
/** Small task 2: the agent enables roaming on the line, and the user must turn data roaming on on their phone. */
const TASK = 2;
const task = smallTasks[TASK];
if (!task) throw new Error(`no telecom small task ${TASK}`);
const agentGold = task.evaluation_criteria.actions.filter((a) => a.requestor === 'assistant');
const userGold = task.evaluation_criteria.actions.filter((a) => a.requestor === 'user');
const ASK_PHONE = 'Please turn on data roaming on your phone.';

const Messages = z.array(z.object({ role: z.string(), content: z.unknown().optional() }).passthrough());
const messagesOf = (r: RecordedRequest) => Messages.parse(r.body['messages'] ?? []);
const text = (c: unknown): string => (typeof c === 'string' ? c : JSON.stringify(c ?? ''));
const isPreflight = (r: RecordedRequest): boolean => JSON.stringify(r.body).includes(PREFLIGHT_PROMPT);
const toolNames = (r: RecordedRequest): string[] =>
  z.array(z.object({ function: z.object({ name: z.string() }) })).catch([]).parse(r.body['tools'] ?? []).map((t) => t.function.name);

/** The agent: the task's gold agent actions one per call, then asks the user to act, then closes. */
function agentReply(r: RecordedRequest): ScriptedReply {
  if (isPreflight(r)) return { kind: 'message', content: 'OK' };
  const msgs = messagesOf(r);
  const done = msgs.filter((m) => m.role === 'tool').length;
  const next = agentGold[done];
  if (next) return { kind: 'tool_call', name: next.name, arguments: next.arguments, id: `agent_${done}` };
  const userConfirmed = text(msgs.at(-1)?.content).startsWith('Done');
  return { kind: 'message', content: userConfirmed ? 'You are all set: data roaming works now.' : `Roaming is enabled on your line. ${ASK_PHONE}` };
}

/**
 * The simulated user (its view has the roles flipped: the agent speaks as 'user', its own phone results come
 * back as 'tool'): reports the problem, does the gold phone action when asked, says so, then stops.
 */
function userReply(r: RecordedRequest): ScriptedReply {
  if (isPreflight(r)) return { kind: 'message', content: 'OK' };
  const msgs = messagesOf(r);
  const last = msgs.at(-1);
  if (!msgs.some((m) => m.role === 'assistant')) return { kind: 'message', content: 'My mobile data does not work abroad.' };
  if (last?.role === 'tool') return { kind: 'message', content: 'Done, data roaming is on now.' };
  const acted = msgs.filter((m) => m.role === 'tool').length;
  const action = userGold[acted];
  if (text(last?.content).includes(ASK_PHONE) && action) return { kind: 'tool_call', name: action.name, arguments: action.arguments, id: `user_${acted}` };
  return { kind: 'message', content: 'Thanks, it works. ###STOP###' };
}

const provider = new ProviderServerDouble().respond('agent', agentReply).respond('user-sim', userReply);
const { app, openPage } = useE2E({ provider });

const TraceDump = z.object({
  episodes: z.array(
    z.object({
      status: z.string(),
      reward: z.number().optional(),
      rewardDetails: z.object({ breakdown: z.record(z.string(), z.number().nullable()), userActions: z.array(z.object({ name: z.string(), error: z.boolean(), content: z.string() })).optional() }).passthrough().optional(),
      meta: z.object({ environment: z.unknown(), mode: z.string(), critic: z.string().optional(), taskSplit: z.string().optional() }).passthrough(),
      timeline: z.array(z.object({ type: z.string(), step: z.object({ proposals: z.array(z.object({ action: z.unknown(), verdict: z.object({ decision: z.string() }).optional() })) }).optional() })),
    }),
  ),
});

describe('a τ³ telecom run in the Benchmark tab, with the simulated user on its phone and the tiny critic', () => {
  it('runs off and intervene, the user acts on its phone, every agent proposal is judged, and History shows the breakdown', async () => {
    const { context, page, requests, errors } = await openPage();
    await openWithSettings(page, app.url, { baseUrl: `${provider.url}/v1`, actor: 'agent', critic: 'unused', mode: 'intervene' });
    await loadCritic(page, { model: 'tiny-critic', device: 'wasm' });

    // The τ³ form: its domains, splits (small only for telecom) and the NL judge field.
    await page.getByTestId('tab-bench').click();
    await page.locator('select[name=bench-domain]').waitFor();
    const domains = await page.locator('select[name=bench-domain] optgroup').evaluateAll((gs) => gs.map((g) => [g.getAttribute('label'), Array.from(g.querySelectorAll('option')).map((o) => o.value)]));
    expect(domains).toContainEqual([expect.stringContaining('τ³'), ['tau2/airline', 'tau2/retail', 'tau2/telecom']]);
    await expect(page.locator('input[name=bench-judge-model]').count()).resolves.toBe(0);
    await page.selectOption('select[name=bench-domain]', 'tau2/retail');
    const splitOptions = () => page.locator('select[name=bench-split] option').evaluateAll((os: HTMLOptionElement[]) => os.map((o) => [o.value, o.disabled]));
    await expect(splitOptions()).resolves.toEqual([['test', false], ['train', false], ['base', false], ['small', true]]);
    await expect(page.locator('input[name=bench-judge-model]').getAttribute('placeholder')).resolves.toMatch(/^none: "not judged"/);
    await page.selectOption('select[name=bench-domain]', 'tau2/telecom');
    await expect(splitOptions()).resolves.toEqual([['test', false], ['train', false], ['base', false], ['small', false]]);
    await page.selectOption('select[name=bench-split]', 'small');
    await page.fill('input[name=bench-trials]', '1');
    await page.fill('input[name=bench-user-model]', 'user-sim');
    await page.getByTestId('bench-config-1').getByLabel('critic engine').selectOption('local');
    // The split has 20 tasks: a task past them stops the run before any episode, saying how many there are.
    await page.fill('input[name=bench-tasks]', `${TASK},${smallTasks.length}`);
    await expect(page.getByTestId('bench-run').innerText()).resolves.toBe('Run 4 episodes');
    await page.getByTestId('bench-run').click();
    await expect.poll(() => page.getByTestId('bench-error').innerText(), { timeout: 30_000 }).toContain(`task ${smallTasks.length} does not exist (there are ${smallTasks.length})`);
    expect(provider.requests).toHaveLength(0);

    await page.fill('input[name=bench-tasks]', String(TASK));
    await expect(page.getByTestId('bench-run').innerText()).resolves.toBe('Run 2 episodes');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('bench-run').click();
    await waitFor('the run to finish', async () => (await page.getByTestId('bench-status').innerText()) === 'done', 150_000);

    // The results table: both configurations pass (the basis is ENV_ASSERTION alone: nothing is left "not judged").
    expect(await page.getByTestId('pass-0-1').innerText()).toBe('1.000');
    expect(await page.getByTestId('pass-1-1').innerText()).toBe('1.000');
    await expect(page.locator('[data-testid^=not-judged-]').count()).resolves.toBe(0);
    await expect(page.getByTestId('bench-result-1').innerText()).resolves.toContain('intervene: transformers:tiny-critic');

    // The simulated user had its phone's tools (the agent its own), and its call's result came back to it.
    const userCalls = provider.requests.filter((r) => r.model === 'user-sim' && !isPreflight(r));
    expect(userCalls.every((r) => toolNames(r).length === 30 && toolNames(r).includes('toggle_roaming'))).toBe(true);
    expect(userCalls.filter((r) => messagesOf(r).at(-1)?.role === 'tool')).toHaveLength(2);
    const agentCalls = provider.requests.filter((r) => r.model === 'agent' && !isPreflight(r));
    expect(agentCalls.every((r) => toolNames(r).includes('enable_roaming') && !toolNames(r).includes('toggle_roaming'))).toBe(true);

    // The traces: the phone call ran in both episodes; in the intervene one, every agent proposal has the tiny
    // critic's verdict. The tiny model always approves, so no proposal is revised: one proposal per step.
    const dump = TraceDump.parse(JSON.parse(await dumpIndexedDB(page, 'spotter-traces')));
    expect(dump.episodes.map((e) => e.meta.mode).sort()).toEqual(['intervene', 'off']);
    for (const e of dump.episodes) {
      expect(e).toMatchObject({ status: 'done', reward: 1, meta: { environment: { family: 'tau2', domain: 'telecom' }, taskSplit: 'small' } });
      expect(e.rewardDetails?.breakdown).toEqual({ ENV_ASSERTION: 1 });
      expect(e.rewardDetails?.userActions).toEqual([expect.objectContaining({ name: userGold[0]?.name, error: false })]);
    }
    const supervised = dump.episodes.find((e) => e.meta.mode === 'intervene');
    const steps = (supervised?.timeline ?? []).flatMap((t) => (t.step ? [t.step] : []));
    // enable_roaming, the request to act, the closing message.
    expect(steps).toHaveLength(agentGold.length + 2);
    expect(steps.flatMap((s) => s.proposals.map((p) => p.verdict?.decision))).toEqual(steps.map(() => 'approve'));
    expect(supervised?.meta.critic).toMatch(/tiny-critic/);

    // The intervene episode in History: its breakdown, the user's phone action, and the critic's verdicts.
    await page.getByTestId('bench-show-episodes').click();
    await expect.poll(() => page.getByTestId('episode-count').getAttribute('data-shown')).toBe('2');
    await page.getByTestId('filter-critic').selectOption(supervised?.meta.critic ?? '');
    await expect.poll(() => page.getByTestId('episode-count').getAttribute('data-shown')).toBe('1');
    await page.getByTestId('episode-row').first().click();
    const view = page.getByTestId('episode-view');
    await view.waitFor();
    await expect(view.getByTestId('verdict').evaluateAll((vs) => vs.map((v) => v.getAttribute('data-decision')))).resolves.toEqual(steps.map(() => 'approve'));
    await expect(view.getByTestId('tau2-component').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-component'), r.getAttribute('data-value')]))).resolves.toEqual([['ENV_ASSERTION', '1']]);
    await expect(view.getByTestId('tau2-reward').innerText()).resolves.toContain("The user's actions on their phone (1)");
    expect(await seriousViolations(page)).toEqual([]);

    // The Data tab: both episodes' proposals, with the τ³ data (tools and gold) loaded without a problem.
    await page.getByTestId('tab-data').click();
    await expect.poll(() => page.getByTestId('data-counts').innerText(), { timeout: 15_000 }).toContain(`2 episodes · ${2 * steps.length} proposals`);
    // The episodes show first; their tools and gold settle when the load ends.
    await expect.poll(() => page.getByTestId('data-load').innerText(), { timeout: 15_000 }).toBe('Reload stored episodes');
    await expect(page.getByTestId('data-panel').getByText('Not loaded:').count()).resolves.toBe(0);

    expect(offHostRequests(requests)).toEqual([]);
    expect(errors.filter((e) => !/net::ERR|Failed to fetch|aborted/i.test(e))).toEqual([]);
    await context.close();
  });
});
