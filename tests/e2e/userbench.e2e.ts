/**
 * A UserBench run in the built app, in headless Chromium: the three sample
 * scenarios (served from ../shared/userbench) × 2 configurations (actor alone;
 * the tiny in-browser critic intervening), with ProviderServerDouble playing
 * the agent and the judge/simulated user over the app's real OpenAI client,
 * and the real TravelGym in the page. eval.py's figures and pass^1 land in the
 * results table; the episodes open in History with their searches, elicited
 * preferences, answers and the critic's verdicts.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EpisodeEnvironmentSchema } from '../../src/lib/envs/environment.ts';
import { ProviderServerDouble } from '../doubles/provider-server-double.ts';
import { samplePlans, userBenchAgentDouble, userBenchJudgeDouble } from '../doubles/userbench-agent-double.ts';
import { dumpIndexedDB, loadCritic, offHostRequests, openWithSettings, useE2E, waitFor } from './harness.ts';

const plans = samplePlans(resolve(process.env.SPOTTER_USERBENCH_DIR ?? '../shared/userbench'));
const provider = new ProviderServerDouble().respond('agent', userBenchAgentDouble(plans)).respond('judge', userBenchJudgeDouble);
const { app, openPage } = useE2E({ provider });

const TraceDump = z.object({
  episodes: z.array(
    z.object({
      meta: z.object({ environment: EpisodeEnvironmentSchema, mode: z.string(), critic: z.string().optional() }),
      reward: z.number().optional(),
      timeline: z.array(z.object({ type: z.string(), step: z.object({ reward: z.number().optional(), proposals: z.array(z.object({ verdict: z.object({ decision: z.string() }).optional() })) }).optional() })),
    }),
  ),
});

describe('UserBench in the browser', () => {
  it('runs the samples with and without the tiny critic, shows eval.py figures, and opens the episodes in History', async () => {
    const { context, page, requests, errors } = await openPage();
    await openWithSettings(page, app.url, { baseUrl: `${provider.url}/v1`, actor: 'agent', critic: 'unused', mode: 'intervene' });

    // The tiny generated critic, in its worker (wasm).
    await loadCritic(page, { model: 'tiny-critic', device: 'wasm' });

    await page.getByTestId('tab-bench').click();
    await page.selectOption('select[name=bench-domain]', 'travel22');
    await page.getByTestId('userbench-fields').waitFor();
    await page.fill('input[name=bench-tasks]', '0-2');
    await page.fill('input[name=bench-trials]', '1');
    await page.fill('input[name=bench-user-model]', 'judge');
    const intervene = page.getByTestId('bench-config-1');
    await intervene.getByLabel('critic engine').selectOption('local');
    await expect(page.getByTestId('bench-run').innerText()).resolves.toContain('6 episodes');
    await page.getByTestId('bench-run').click();
    await waitFor('the run to finish', async () => (await page.getByTestId('bench-status').innerText()) === 'done', 150_000);

    // Best option for every aspect in every sample: pass^1 = 1 for both configurations.
    expect(await page.getByTestId('pass-0-1').innerText()).toBe('1.000');
    expect(await page.getByTestId('pass-1-1').innerText()).toBe('1.000');
    // eval.py's figures: best turn 1.0; 7 best picks and 1 correct pick over 3 tasks; one question answered each.
    for (const i of [0, 1]) {
      expect(await page.getByTestId(`ub-micro-max-${i}`).innerText()).toBe('1.000');
      expect(await page.getByTestId(`ub-n1-${i}`).innerText()).toBe('2.33');
      expect(await page.getByTestId(`ub-n08-${i}`).innerText()).toBe('0.33');
      expect(await page.getByTestId(`ub-asked-${i}`).innerText()).toBe('1.00');
    }

    // Every interact_with_env call of the supervised configuration has the tiny critic's verdict.
    const dump = TraceDump.parse(JSON.parse(await dumpIndexedDB(page, 'spotter-traces')));
    const supervised = dump.episodes.filter((t) => t.meta.mode === 'intervene');
    expect(supervised).toHaveLength(3);
    for (const t of supervised) {
      const steps = t.timeline.flatMap((e) => (e.step ? [e.step] : []));
      expect(steps.length).toBeGreaterThan(4);
      expect(steps.every((s) => s.reward !== undefined && s.proposals.every((p) => p.verdict !== undefined))).toBe(true);
      expect(t.reward).toBe(1);
      expect(t.meta.environment).toEqual({ family: 'userbench', domain: 'travel22' });
    }

    // The run's episodes in History, one opened: its searches, elicited preference and answers.
    await page.getByTestId('bench-show-episodes').click();
    await expect.poll(() => page.getByTestId('episode-count').getAttribute('data-shown')).toBe('6');
    await page.getByTestId('episode-row').first().click();
    const view = page.getByTestId('episode-view');
    await view.waitFor();
    const kinds = await view.getByTestId('userbench-turn').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toContain('search');
    expect(kinds).toContain('ask');
    expect(kinds).toContain('answer');
    await expect(view.getByTestId('userbench-elicited').first().innerText()).resolves.toMatch(/^elicited P\d+/);
    await expect(view.getByTestId('userbench-turn-summary').last().innerText()).resolves.toMatch(/the best option/);
    // The pack came from the app's own copy; the models from the configured endpoint (127.0.0.1): nothing else.
    expect(requests.some((u) => u.includes('/userbench/scenarios/testtask272_flight_apartment.json'))).toBe(true);
    expect(offHostRequests(requests)).toEqual([]);

    expect(errors.filter((e) => !/net::ERR|Failed to fetch|aborted/i.test(e))).toEqual([]);
    await context.close();
  });

  it('lets a person take the user seat in the Chat tab, with the hidden preferences shown', async () => {
    const { context, page, errors } = await openPage();
    await openWithSettings(page, app.url, { baseUrl: `${provider.url}/v1`, actor: 'agent', critic: 'unused', mode: 'off' });
    await page.selectOption('select[name=env-kind]', 'userbench');
    // The judges run on the actor's provider in the Chat tab: route the agent's model to the judge double too.
    provider.respond('agent', (req) => (JSON.stringify(req.body).includes('interact_with_env') ? userBenchAgentDouble(plans)(req) : userBenchJudgeDouble(req)));
    const prefs = page.getByTestId('ub-preferences');
    await prefs.waitFor();
    await expect(prefs.innerText()).resolves.toMatch(/P1 /);
    await page.getByTestId('send').click();

    // The agent searches twice, then asks: the person is told which preference to bring out.
    const ask = page.getByTestId('ub-seat-request');
    await ask.waitFor({ timeout: 60_000 });
    expect(await ask.getAttribute('data-kind')).toBe('reveal');
    await page.fill('textarea[name=message]', 'We travel with a lot of gear, so space matters.');
    await page.getByTestId('send').click();
    const status = page.getByTestId('episode-status');
    await status.waitFor({ timeout: 60_000 });
    expect(await status.getAttribute('data-status')).toBe('done');
    await expect(status.innerText()).resolves.toContain('reward 1');
    const turns = page.getByTestId('userbench-turn-summary');
    await expect(turns.allInnerTexts()).resolves.toEqual(expect.arrayContaining(['asked about a preference the user has']));
    await expect(page.getByText('We travel with a lot of gear, so space matters.').count()).resolves.toBeGreaterThan(0);
    expect(errors.filter((e) => !/net::ERR|Failed to fetch|aborted/i.test(e))).toEqual([]);
    await context.close();
  });
});
