/**
 * A τ³ telecom run through the Benchmark tab, in headless Chromium: the real telecom data served beside the
 * app (../shared/tau2-bench), the agent and the simulated user on ProviderServerDouble over the app's real
 * OpenAI client, and two configurations: the actor alone, and the tiny repo-generated critic that always
 * objects (tiny-critic-revise: transformers.js, wasm, in its worker) intervening. The simulated user gets its
 * phone's tools in its requests and answers with a tool call, as the task's gold actions say; the ported phone
 * runs it on the user's own database, and the task's ENV_ASSERTION (which needs that call) decides the reward.
 * Every agent proposal of the intervene episode is sent back with the critic's feedback, the agent revises it
 * in the same trajectory, and after K revisions the last proposal runs flagged (the loop's rule), so the
 * episode ends as the one without critic does. The run's results table and the intervene episode in History,
 * with its revisions, feedback, per-component breakdown and the user's phone action, are checked, and the Data
 * tab reads both episodes with their τ³ tools and gold.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PREFLIGHT_PROMPT } from '../../src/lib/runs/preflight.ts';
import { REVISE_FEEDBACK } from '../../scripts/make-tiny-model.ts';
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
/** What the loop says to the actor with each proposal it sends back (loop/history.ts revisionMessages). */
const objection = `A reviewer checking it against the policy objected: ${REVISE_FEEDBACK}`;
/**
 * An agent request split into the trajectory and what the loop appended while the step is revised: one
 * rejected proposal and its feedback per earlier attempt, after the trajectory.
 */
function attemptOf(r: RecordedRequest): { trajectory: ReturnType<typeof messagesOf>; revisions: number; sentBack: ReturnType<typeof messagesOf> } {
  const msgs = messagesOf(r);
  const revisions = msgs.filter((m) => text(m.content).includes('A reviewer checking it against the policy objected')).length;
  const cut = msgs.length - 2 * revisions;
  return { trajectory: msgs.slice(0, cut), revisions, sentBack: msgs.slice(cut) };
}
const revisedMark = (n: number): string => (n ? ` (revision ${n}, after the reviewer's note)` : '');

/**
 * The agent: the task's gold agent actions one per call, then asks the user to act, then closes. Sent back
 * by the critic, it proposes the same action again (a new call id; a message marked as its revision).
 */
function agentReply(r: RecordedRequest): ScriptedReply {
  if (isPreflight(r)) return { kind: 'message', content: 'OK' };
  const { trajectory, revisions } = attemptOf(r);
  const done = trajectory.filter((m) => m.role === 'tool').length;
  const next = agentGold[done];
  if (next) return { kind: 'tool_call', name: next.name, arguments: next.arguments, id: `agent_${done}_${revisions}` };
  const userConfirmed = text(trajectory.at(-1)?.content).startsWith('Done');
  const say = userConfirmed ? 'You are all set: data roaming works now.' : `Roaming is enabled on your line. ${ASK_PHONE}`;
  return { kind: 'message', content: say + revisedMark(revisions) };
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
      timeline: z.array(
        z.object({
          type: z.string(),
          step: z
            .object({
              executed: z.unknown(),
              flagged: z.boolean(),
              proposals: z.array(z.object({ attempt: z.number(), action: z.unknown(), verdict: z.object({ decision: z.string(), feedback: z.string().optional() }).optional() })),
            })
            .optional(),
        }),
      ),
    }),
  ),
});

/** openWithSettings' K: a step is sent back at most twice, then its third proposal runs, flagged. */
const K = 2;
/** The feedback as the sanitised Markdown shows it: the image tag in it is dropped, never loaded or run. */
const feedbackText = REVISE_FEEDBACK.replace(/<img[^>]*>/, '').trim();

describe('a τ³ telecom run in the Benchmark tab, with the simulated user on its phone and the tiny critic', () => {
  it('runs off and intervene, the user acts on its phone, the critic sends every proposal back, the agent revises, and History shows it', async () => {
    const { context, page, requests, errors } = await openPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await openWithSettings(page, app.url, { baseUrl: `${provider.url}/v1`, actor: 'agent', critic: 'unused', mode: 'intervene' });
    await loadCritic(page, { model: 'tiny-critic-revise', device: 'wasm' });

    // The τ³ form: its domains, splits (small and full only for telecom), where its data comes from and the NL judge field.
    await page.getByTestId('tab-bench').click();
    await page.locator('select[name=bench-domain]').waitFor();
    const domains = await page.locator('select[name=bench-domain] optgroup').evaluateAll((gs) => gs.map((g) => [g.getAttribute('label'), Array.from(g.querySelectorAll('option')).map((o) => o.value)]));
    expect(domains).toContainEqual([expect.stringContaining('τ³'), ['tau2/airline', 'tau2/retail', 'tau2/telecom']]);
    await expect(page.locator('input[name=bench-judge-model]').count()).resolves.toBe(0);
    await page.selectOption('select[name=bench-domain]', 'tau2/retail');
    const splitOptions = () => page.locator('select[name=bench-split] option').evaluateAll((os: HTMLOptionElement[]) => os.map((o) => [o.value, o.disabled]));
    await expect(splitOptions()).resolves.toEqual([['test', false], ['train', false], ['base', false], ['small', true], ['full', true]]);
    await expect(page.locator('input[name=bench-judge-model]').getAttribute('placeholder')).resolves.toMatch(/^none: "not judged"/);
    await page.selectOption('select[name=bench-domain]', 'tau2/telecom');
    await expect(splitOptions()).resolves.toEqual([['test', false], ['train', false], ['base', false], ['small', false], ['full', false]]);
    await expect(page.locator('select[name=bench-tau2-source] option').evaluateAll((os: HTMLOptionElement[]) => os.map((o) => o.value))).resolves.toEqual(['app', 'upstream']);
    await page.selectOption('select[name=bench-split]', 'small');
    await page.fill('input[name=bench-trials]', '1');
    await page.fill('input[name=bench-user-model]', 'user-sim');
    await page.getByTestId('bench-config-1').getByLabel('critic engine').selectOption('local');
    // The split has 20 tasks: a task past them stops the run before any episode, saying how many there are.
    await page.fill('input[name=bench-tasks]', `${TASK},${smallTasks.length}`);
    await expect(page.getByTestId('bench-run').innerText()).resolves.toBe('Run 4 episodes');
    // The domain's data loads in the pack worker, its byte progress in the form: the phone's database is held back until it shows
    // (the route then lets it through; it stays, as unrouting would cut the held request short).
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const userDb = '**/tau2-bench/telecom/user_db.toml';
    await context.route(userDb, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByTestId('bench-run').click();
    await expect(page.getByTestId('tau2-load-progress').getAttribute('data-file', { timeout: 30_000 })).resolves.toMatch(/^telecom\//);
    await expect(page.getByTestId('tau2-load-progress').innerText()).resolves.toMatch(/^Loading telecom\/\S+: \d/);
    release();
    await expect.poll(() => page.getByTestId('bench-error').innerText(), { timeout: 30_000 }).toContain(`task ${smallTasks.length} does not exist (there are ${smallTasks.length})`);
    expect(provider.requests).toHaveLength(0);
    // telecom's full split (2,285 tasks) on the app's data (134 of them): stopped before any episode too, naming both counts.
    await page.selectOption('select[name=bench-split]', 'full');
    await page.getByTestId('bench-run').click();
    await expect.poll(() => page.getByTestId('bench-error').innerText(), { timeout: 30_000 }).toMatch(/split full has 2,285 tasks; this data \(.+\) holds 134 of them: load τ³ data from GitHub/);
    expect(provider.requests).toHaveLength(0);
    await page.selectOption('select[name=bench-split]', 'small');

    await page.fill('input[name=bench-tasks]', String(TASK));
    await expect(page.getByTestId('bench-run').innerText()).resolves.toBe('Run 2 episodes');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('bench-run').click();
    await waitFor('the run to finish', async () => (await page.getByTestId('bench-status').innerText()) === 'done', 150_000);

    // The results table: both configurations pass (the basis is ENV_ASSERTION alone: nothing is left "not judged").
    expect(await page.getByTestId('pass-0-1').innerText()).toBe('1.000');
    expect(await page.getByTestId('pass-1-1').innerText()).toBe('1.000');
    await expect(page.locator('[data-testid^=not-judged-]').count()).resolves.toBe(0);
    await expect(page.getByTestId('bench-result-1').innerText()).resolves.toContain('intervene: transformers:tiny-critic-revise');
    // Revisions: K per step, and every step ran flagged.
    await expect(page.getByTestId('bench-result-1').innerText()).resolves.toMatch(new RegExp(`\\s${3 * K} \\(3 flagged\\)\\s`));

    // The simulated user had its phone's tools (the agent its own), and its call's result came back to it.
    const userCalls = provider.requests.filter((r) => r.model === 'user-sim' && !isPreflight(r));
    expect(userCalls.every((r) => toolNames(r).length === 30 && toolNames(r).includes('toggle_roaming'))).toBe(true);
    expect(userCalls.filter((r) => messagesOf(r).at(-1)?.role === 'tool')).toHaveLength(2);
    const agentCalls = provider.requests.filter((r) => r.model === 'agent' && !isPreflight(r));
    expect(agentCalls.every((r) => toolNames(r).includes('enable_roaming') && !toolNames(r).includes('toggle_roaming'))).toBe(true);

    // The agent's requests: 3 steps asked once without critic, and K + 1 times with it. A revision request is its
    // step's first request (the same trajectory: nothing retried or restarted) plus, per earlier attempt, the
    // rejected proposal and a note with the critic's feedback.
    const attempts = agentCalls.map(attemptOf);
    expect(attempts.map((a) => a.revisions).sort()).toEqual([...Array<number>(6).fill(0), ...Array<number>(3).fill(1), ...Array<number>(3).fill(2)]);
    for (const { trajectory, revisions, sentBack } of attempts.filter((a) => a.revisions > 0)) {
      expect(attempts.some((a) => a.revisions === 0 && JSON.stringify(a.trajectory) === JSON.stringify(trajectory))).toBe(true);
      expect(sentBack.map((m) => m.role)).toEqual(Array.from({ length: revisions }, () => ['assistant', expect.stringMatching(/^(tool|user)$/)]).flat());
      expect(sentBack.filter((_, i) => i % 2 === 1).every((m) => text(m.content).includes(objection))).toBe(true);
    }

    // The traces: the phone call ran in both episodes, one episode per configuration (none retried). In the
    // intervene one, every agent proposal got the tiny critic's revise verdict with its feedback; the agent
    // revised each step K times, then the revisions ran out and the last proposal ran flagged (the loop goes
    // on: failure rule or not, a revise verdict never ends the episode). The same actions ran as without
    // critic, so the ported env's reward is the same: 1.
    const dump = TraceDump.parse(JSON.parse(await dumpIndexedDB(page, 'spotter-traces')));
    expect(dump.episodes.map((e) => e.meta.mode).sort()).toEqual(['intervene', 'off']);
    for (const e of dump.episodes) {
      expect(e).toMatchObject({ status: 'done', reward: 1, meta: { environment: { family: 'tau2', domain: 'telecom' }, taskSplit: 'small' } });
      expect(e.rewardDetails?.breakdown).toEqual({ ENV_ASSERTION: 1 });
      expect(e.rewardDetails?.userActions).toEqual([expect.objectContaining({ name: userGold[0]?.name, error: false })]);
    }
    const stepsOf = (mode: string) => (dump.episodes.find((e) => e.meta.mode === mode)?.timeline ?? []).flatMap((t) => (t.step ? [t.step] : []));
    const supervised = dump.episodes.find((e) => e.meta.mode === 'intervene');
    const steps = stepsOf('intervene');
    // enable_roaming, the request to act, the closing message.
    expect(steps).toHaveLength(agentGold.length + 2);
    expect(stepsOf('off').map((s) => [s.proposals.length, s.flagged])).toEqual(steps.map(() => [1, false]));
    for (const s of steps) {
      expect(s.proposals.map((p) => [p.attempt, p.verdict?.decision, p.verdict?.feedback])).toEqual(Array.from({ length: K + 1 }, (_, a) => [a, 'revise', REVISE_FEEDBACK]));
      expect(s.flagged).toBe(true);
      expect(s.executed).toEqual(s.proposals.at(-1)?.action);
    }
    expect(steps.map((s) => s.executed)).toMatchObject([
      { kind: 'tool_call', call: { id: `agent_0_${K}`, name: agentGold[0]?.name } },
      { kind: 'message', content: `Roaming is enabled on your line. ${ASK_PHONE}${revisedMark(K)}` },
      { kind: 'message', content: `You are all set: data roaming works now.${revisedMark(K)}` },
    ]);
    expect(supervised?.meta.critic).toBe('transformers:tiny-critic-revise');

    // The intervene episode in History: its breakdown, the user's phone action, and the critic's verdicts.
    await page.getByTestId('bench-show-episodes').click();
    await expect.poll(() => page.getByTestId('episode-count').getAttribute('data-shown')).toBe('2');
    await page.getByTestId('filter-critic').selectOption(supervised?.meta.critic ?? '');
    await expect.poll(() => page.getByTestId('episode-count').getAttribute('data-shown')).toBe('1');
    await page.getByTestId('episode-row').first().click();
    const view = page.getByTestId('episode-view');
    await view.waitFor();
    await expect(view.getByTestId('verdict').evaluateAll((vs) => vs.map((v) => v.getAttribute('data-decision')))).resolves.toEqual(Array(3 * (K + 1)).fill('revise'));
    await expect(view.getByTestId('rejected-proposal').count()).resolves.toBe(3 * K);
    // Each rejected proposal's feedback, as sanitised Markdown: the text stays, the image tag in it is gone and never ran.
    const feedbackShown = async () => (await view.getByTestId('critic-feedback').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    await expect.poll(feedbackShown).toEqual(Array(3 * K).fill(`critic feedback ${feedbackText}`));
    await expect(view.getByTestId('critic-feedback').locator('img').count()).resolves.toBe(0);
    await expect(view.getByTestId('flagged').allInnerTexts()).resolves.toEqual(Array(3).fill(`ran after ${K} revisions; the critic still objected`));
    await expect(view.getByTestId('tau2-component').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-component'), r.getAttribute('data-value')]))).resolves.toEqual([['ENV_ASSERTION', '1']]);
    await expect(view.getByTestId('tau2-reward').innerText()).resolves.toContain("The user's actions on their phone (1)");
    expect(await seriousViolations(page)).toEqual([]);

    // The Data tab: both episodes' proposals (the rejected ones too), with the τ³ data (tools and gold) loaded without a problem.
    await page.getByTestId('tab-data').click();
    await expect.poll(() => page.getByTestId('data-counts').innerText(), { timeout: 15_000 }).toContain(`2 episodes · ${steps.length * (1 + K + 1)} proposals`);
    // The episodes show first; their tools and gold settle when the load ends.
    await expect.poll(() => page.getByTestId('data-load').innerText(), { timeout: 15_000 }).toBe('Reload stored episodes');
    await expect(page.getByTestId('data-panel').getByText('Not loaded:').count()).resolves.toBe(0);

    expect(offHostRequests(requests)).toEqual([]);
    // The feedback's image never ran nor loaded. Chromium reports the page's CSP refusing its onerror as soon as
    // the sanitiser parses it (DOMParser's inert document inherits the page's CSP): nothing else may be logged.
    expect(dialogs).toEqual([]);
    expect(requests.filter((u) => new URL(u).pathname.endsWith('/x'))).toEqual([]);
    const cspRefusal = /^console: Executing inline event handler violates the following Content Security Policy directive/;
    expect(errors.filter((e) => !/net::ERR|Failed to fetch|aborted/i.test(e) && !cspRefusal.test(e))).toEqual([]);
    await context.close();
  });
});
