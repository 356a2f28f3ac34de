/**
 * The headless CLI end to end under Node: real tau-bench pack from
 * ../shared, real OpenAI-compatible clients, ProviderServerDouble standing in
 * for the remote models. The scripted agent replays each task's gold actions.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderServerDouble } from '../tests/doubles/provider-server-double.ts';
import { goldAgentResponder, retailGoldTasks, taskUserResponder } from '../tests/doubles/tau-gold-responders-double.ts';
import { runHeadless } from '../tests/run-script.ts';

const DATA_DIR = resolve(process.env.SPOTTER_TAU_DIR ?? '../shared/tau-bench');
const KEY = 'sk-headless-SECRET-91b2';
const tasks = retailGoldTasks(DATA_DIR);
let brokenTask: number | undefined;
let agentStarts: number[] = [];
const agent = goldAgentResponder(tasks, {
  onStart: (t) => agentStarts.push(t),
  override: (t) => (t === brokenTask ? { kind: 'status', status: 400, message: 'scripted bad request' } : undefined),
});
const user = taskUserResponder(tasks);

const provider = new ProviderServerDouble();
beforeAll(async () => {
  await provider.start();
  provider.respond('agent', agent).respond('user-sim', user).respond('critic', () => ({ kind: 'message', content: '{"decision": "approve"}' }));
  provider.respond('agent-echo', () => ({ kind: 'echo-key', echo: 'full' })).respond('user-echo', () => ({ kind: 'echo-key', echo: 'json' }));
});
afterAll(() => provider.stop());

const cli = (args: string[], key = KEY) => runHeadless(args, key);

const ResultsSchema = z.array(z.object({ task_id: z.number(), reward: z.number(), info: z.record(z.string(), z.unknown()), traj: z.array(z.unknown()), trial: z.number() }));

describe.skipIf(!existsSync(DATA_DIR))('npm run headless', () => {
  it('runs tasks x trials x configurations, writes tau-bench results and CSV, keeps the key out, and resumes only what failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spotter-headless-'));
    const args = [
      '--domain', 'retail', '--tasks', '0-1', '--trials', '2', '--concurrency', '2',
      '--actor-base-url', `${provider.url}/v1`, '--actor-model', 'agent', '--user-model', 'user-sim',
      '--critic-base-url', `${provider.url}/v1`, '--critic-model', 'critic',
      '--out', join(dir, 'results.json'),
    ];

    // First run: task 1's agent calls fail; those episodes end in an error (reward 0).
    brokenTask = 1;
    const first = await cli(args);
    expect(first.out).toContain('task 1 trial 0');
    expect(first.out).toContain('scripted bad request');
    expect(first.code).toBe(1);
    expect(agentStarts.filter((t) => t === 0)).toHaveLength(4);

    // Second run, same command: only the 4 failed episodes run again.
    brokenTask = undefined;
    agentStarts = [];
    const second = await cli(args);
    expect(second.out).toContain('Resuming');
    expect(second.code).toBe(0);
    expect(agentStarts.sort()).toEqual([1, 1, 1, 1]);

    const files = readdirSync(dir).sort();
    expect(files).toEqual(expect.arrayContaining(['results.actor_alone.json', 'results.critic_intervene.json', 'results.csv']));
    for (const f of ['results.actor_alone.json', 'results.critic_intervene.json']) {
      const r = ResultsSchema.parse(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      expect(r.map((x) => [x.task_id, x.trial, x.reward])).toEqual([
        [0, 0, 1],
        [1, 0, 1],
        [0, 1, 1],
        [1, 1, 1],
      ]);
      expect(r[0]?.traj[0]).toMatchObject({ role: 'system' });
    }
    expect(second.out).toMatch(/pass\^2/);
    expect(readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(9);

    // The key went to the provider and nowhere else.
    expect(provider.requests.some((r) => r.headers['authorization'] === `Bearer ${KEY}`)).toBe(true);
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8')).not.toContain(KEY);
    expect(first.out + second.out).not.toContain(KEY);
  }, 120_000);

  it.each([
    ['the agent', ['--actor-model', 'agent-echo', '--user-model', 'user-sim']],
    ['the simulated user', ['--actor-model', 'agent', '--user-model', 'user-echo']],
  ])('a 401 from %s that echoes the key leaves no run of 8 of its characters in the output or the files', async (_who, models) => {
    const key = 'sk-proj-Hq7Zx2Wv9Kb4Nt6Rm3Jc';
    const dir = mkdtempSync(join(tmpdir(), 'spotter-headless-'));
    const r = await cli(['--domain', 'retail', '--tasks', '0', '--trials', '1', '--actor-base-url', `${provider.url}/v1`, ...models, '--out', join(dir, 'r.json')], key);
    expect(r.code).toBe(1);
    expect(r.out).toContain('HTTP 401');
    expect(r.out).toContain(`sk-…${key.slice(-4)}`);
    const texts = [r.out, ...readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'))];
    for (let i = 0; i + 8 <= key.length; i++) for (const t of texts) expect(t).not.toContain(key.slice(i, i + 8));
  }, 120_000);

  it('refuses a state file from a different run, and bad arguments, with usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spotter-headless-'));
    const base = ['--domain', 'retail', '--trials', '1', '--actor-base-url', `${provider.url}/v1`, '--actor-model', 'agent', '--user-model', 'user-sim', '--out', join(dir, 'r.json')];
    expect((await cli([...base, '--tasks', '0'])).code).toBe(0);
    const other = await cli([...base, '--tasks', '1']);
    expect(other.code).toBe(2);
    expect(other.out).toContain('holds a different run');
    const bad = await cli(['--domain', 'retail']);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('Usage: npm run headless');
    const missingTask = await cli([...base, '--tasks', '500', '--state', join(dir, 's2.json')]);
    expect(missingTask.code).toBe(1);
    expect(missingTask.out).toContain('no task 500');
  }, 120_000);
});
