/**
 * A tau-bench run in the built app, in headless Chromium: 2 tasks × 2 trials ×
 * 2 configurations (actor alone, actor + intervening critic) against
 * ProviderServerDouble. The scripted agent replays a task's gold actions, except
 * that on task 2 it first tries to hand off to a human (which ends the episode
 * with reward 0 unless the critic sends it back). The run is interrupted by a
 * reload mid-episode and resumed; only the missing episodes run again.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { z } from 'zod';
import { PREFLIGHT_PROMPT } from '../../src/lib/runs/preflight.ts';
import { ProviderServerDouble, type RecordedRequest, type ScriptedReply } from '../doubles/provider-server-double.ts';
import { dumpIndexedDB, openWithSettings, useE2E, waitFor } from './harness.ts';

const TaskSchema = z.object({
  instruction: z.string(),
  outputs: z.array(z.string()),
  actions: z.array(z.object({ name: z.string(), kwargs: z.record(z.string(), z.unknown()) })),
});
const tasks = z.array(TaskSchema).parse(JSON.parse(readFileSync(resolve(process.env.SPOTTER_TAU_DIR ?? '../shared/tau-bench', 'retail/tasks_test.json'), 'utf8')));
const TASKS = [0, 2];
const HANDS_OFF = 2;
const REVISION_NOTE = 'Your proposed action was not carried out';

const MessagesSchema = z.array(z.object({ role: z.string(), content: z.unknown().optional() }).passthrough());
function messagesOf(req: RecordedRequest): Array<{ role: string; content?: unknown }> {
  return MessagesSchema.parse(req.body['messages'] ?? []);
}
const text = (c: unknown): string => (typeof c === 'string' ? c : JSON.stringify(c ?? ''));

/** Episode starts seen by the agent (its first call of an episode), and whether to hang the next one. */
const agentState = { starts: 0, hangAt: 4 as number | undefined };

function agentReply(req: RecordedRequest): ScriptedReply {
  const msgs = messagesOf(req);
  // The run's pre-flight call, before any episode.
  if (JSON.stringify(req.body).includes(PREFLIGHT_PROMPT)) return { kind: 'message', content: 'OK' };
  const firstUser = msgs.find((m) => m.role === 'user');
  const task = Number(/\[T(\d+)\]/.exec(text(firstUser?.content))?.[1] ?? -1);
  const last = msgs.at(-1);
  const revising = last?.role === 'tool' && text(last.content).startsWith(REVISION_NOTE);
  const executed = msgs.filter((m) => m.role === 'tool' && !text(m.content).startsWith(REVISION_NOTE)).length;
  if (!msgs.some((m) => m.role === 'assistant')) {
    agentState.starts++;
    if (agentState.starts === agentState.hangAt) return { kind: 'hang' };
  }
  const t = tasks[task];
  if (!t) return { kind: 'message', content: 'Which task is this?' };
  if (task === HANDS_OFF && executed === 0 && !revising) {
    return { kind: 'tool_call', name: 'transfer_to_human_agents', arguments: { summary: 'The user needs help.' } };
  }
  const gold = t.actions.filter((a) => a.name !== 'respond');
  const next = gold[executed];
  if (next) return { kind: 'tool_call', name: next.name, arguments: next.kwargs };
  return { kind: 'message', content: `All done. ${t.outputs.join(' ')}`.trim() };
}

function userReply(req: RecordedRequest): ScriptedReply {
  const all = JSON.stringify(req.body);
  if (all.includes('[T')) return { kind: 'message', content: '###STOP###' };
  const task = TASKS.find((i) => all.includes(JSON.stringify(tasks[i]?.instruction ?? '-').slice(1, 80)));
  return { kind: 'message', content: `Hi, I need help with my order. [T${task ?? -1}]` };
}

function criticReply(req: RecordedRequest): ScriptedReply {
  const prompt = messagesOf(req).map((m) => text(m.content)).join('\n');
  const proposal = prompt.slice(prompt.lastIndexOf('# Proposed next action'));
  return proposal.includes('transfer_to_human_agents')
    ? { kind: 'message', content: '{"decision": "revise", "category": "premature transfer", "feedback": "Help the user yourself first."}' }
    : { kind: 'message', content: '{"decision": "approve"}' };
}

const provider = new ProviderServerDouble().respond('agent', agentReply).respond('user-sim', userReply).respond('critic', criticReply);
const { app, openPage } = useE2E({ provider });

async function progressText(page: Page): Promise<string> {
  return page.getByTestId('bench-progress-text').innerText();
}

describe('benchmark runner in a real browser', () => {
  it('a pre-flight failure stops the run before its first episode and says which model and why', async () => {
    provider.respond('agent-bad-key', () => ({ kind: 'status', status: 401, message: 'Incorrect API key provided' }));
    const { context, page } = await openPage();
    await openWithSettings(page, app.url, { baseUrl: `${provider.url}/v1`, actor: 'agent-bad-key', critic: 'critic', mode: 'intervene' });
    await page.getByTestId('tab-bench').click();
    await page.fill('input[name=bench-tasks]', TASKS.join(','));
    await page.fill('input[name=bench-user-model]', 'user-sim');
    const before = provider.requests.length;
    await page.getByTestId('bench-run').click();
    const error = page.getByTestId('bench-error');
    await error.waitFor({ timeout: 30_000 });
    await expect(error.innerText()).resolves.toMatch(/^Pre-flight check failed, so no episode was started: the agent model agent-bad-key at .* did not answer\. The provider rejected the API key\./);
    expect(await page.getByTestId('bench-status').innerText()).toBe('error');
    // One call per model (agent, simulated user, critic), and no episode.
    const calls = provider.requests.slice(before);
    expect(calls.map((r) => r.model).sort()).toEqual(['agent-bad-key', 'critic', 'user-sim']);
    expect(calls.every((r) => JSON.stringify(r.body).includes(PREFLIGHT_PROMPT))).toBe(true);
    const db = JSON.parse(await dumpIndexedDB(page, 'spotter-bench')) as { runs: Array<{ results: Record<string, unknown> }> };
    expect(Object.keys(db.runs[0]?.results ?? {})).toHaveLength(0);
    await context.close();
  });

  it('runs 2 tasks x 2 trials x 2 configurations, survives a reload mid-run, and shows pass^1 and pass^2', async () => {
    const { context, page, errors } = await openPage();
    await openWithSettings(page, app.url, { baseUrl: `${provider.url}/v1`, actor: 'agent', critic: 'critic', mode: 'intervene' });
    await page.getByTestId('tab-bench').click();

    await page.fill('input[name=bench-tasks]', TASKS.join(','));
    await page.fill('input[name=bench-trials]', '2');
    await page.fill('input[name=bench-concurrency]', '1');
    await page.fill('input[name=bench-user-model]', 'user-sim');
    await expect(page.getByTestId('bench-run').innerText()).resolves.toContain('8 episodes');
    await page.getByTestId('bench-run').click();

    // Three episodes finish; the fourth hangs in the agent's first call: reload now.
    await waitFor('3 episodes', async () => (await progressText(page)).startsWith('3/8'));
    await waitFor('the 4th episode to start', async () => agentState.starts >= 4);
    const db = JSON.parse(await dumpIndexedDB(page, 'spotter-bench')) as { runs: Array<{ status: string; results: Record<string, unknown> }> };
    expect(db.runs[0]?.status).toBe('running');
    expect(Object.keys(db.runs[0]?.results ?? {})).toHaveLength(3);
    await page.reload();
    agentState.hangAt = undefined;
    const startsBefore = agentState.starts;

    await page.getByTestId('tab-bench').click();
    await page.getByTestId('bench-interrupted').waitFor({ timeout: 30_000 });
    await expect(progressText(page)).resolves.toMatch(/^3\/8/);
    await page.getByTestId('bench-resume-active').click();
    await waitFor('the run to finish', async () => (await page.getByTestId('bench-status').innerText()) === 'done', 120_000);

    // Only the five missing episodes ran after the reload.
    expect(agentState.starts - startsBefore).toBe(5);
    await expect(progressText(page)).resolves.toMatch(/^8\/8/);

    // Actor alone: task 0 passes both trials, task 2 hands off both times: 0.5, 0.5.
    // With the critic, the hand-off is sent back and both tasks pass: 1, 1.
    expect(await page.getByTestId('pass-0-1').innerText()).toBe('0.500');
    expect(await page.getByTestId('pass-0-2').innerText()).toBe('0.500');
    expect(await page.getByTestId('pass-1-1').innerText()).toBe('1.000');
    expect(await page.getByTestId('pass-1-2').innerText()).toBe('1.000');
    await page.getByTestId('bench-chart').waitFor();
    // Models without a price: cost unknown, never $0.
    await expect(page.getByTestId('bench-cost').innerText()).resolves.toContain('unknown');

    const stored = JSON.parse(await dumpIndexedDB(page, 'spotter-bench')) as { runs: Array<{ status: string; results: Record<string, { reward: number }> }> };
    expect(stored.runs[0]?.status).toBe('done');
    expect(Object.values(stored.runs[0]?.results ?? {}).map((r) => r.reward).sort()).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);

    // Export in tau-bench's shape.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bench-result-1').getByRole('button', { name: 'tau-bench JSON' }).click()]);
    const path = await download.path();
    const exported = z
      .array(z.object({ task_id: z.number(), reward: z.number(), info: z.record(z.string(), z.unknown()), traj: z.array(z.unknown()), trial: z.number() }))
      .parse(JSON.parse(readFileSync(path, 'utf8')));
    expect(exported).toHaveLength(4);
    expect(exported.every((r) => r.reward === 1 && r.traj.length > 2)).toBe(true);

    // The run links to its episodes: the History tab opens filtered to this run.
    await page.getByTestId('bench-show-episodes').click();
    const count = page.getByTestId('episode-count');
    await count.waitFor();
    await expect.poll(() => count.getAttribute('data-shown')).toBe('8');
    expect(await page.getByTestId('filter-run').inputValue()).not.toBe('');

    expect(errors.filter((e) => !/net::ERR|Failed to fetch|aborted/i.test(e))).toEqual([]);
    await context.close();
  });
});
