/**
 * `npm run headless` on UserBench's three sample scenarios under Node: the
 * real pack loader on ../shared/userbench, the real TravelGym, real OpenAI
 * clients, and ProviderServerDouble playing the agent, the judge/user model
 * and the critic. Checks eval.py's figures, the exports, the key, and resume.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderServerDouble } from '../tests/doubles/provider-server-double.ts';
import { samplePlans, userBenchAgentDouble, userBenchJudgeDouble } from '../tests/doubles/userbench-agent-double.ts';
import { runHeadless } from '../tests/run-script.ts';

const DATA_DIR = resolve(process.env.SPOTTER_USERBENCH_DIR ?? '../shared/userbench');
const KEY = 'sk-userbench-SECRET-77c1';
const plans = existsSync(DATA_DIR) ? samplePlans(DATA_DIR) : [];
let starts: number[] = [];

const provider = new ProviderServerDouble();
beforeAll(async () => {
  await provider.start();
  provider
    .respond('agent', userBenchAgentDouble(plans, (s) => starts.push(s)))
    .respond('judge', userBenchJudgeDouble)
    .respond('critic', () => ({ kind: 'message', content: '{"decision": "approve"}' }));
});
afterAll(() => provider.stop());

const cli = (args: string[]) => runHeadless(args, KEY);

const Figures = z.object({ micro_avg: z.number(), micro_max: z.number(), avg_number_of_08: z.number(), avg_number_of_1: z.number() });
const ExportSchema = z.object({
  results: z.record(z.string(), z.record(z.string(), Figures)),
  reward_cache: z.record(z.string(), z.record(z.string(), z.object({ history: z.array(z.array(z.object({ turn: z.number(), choice: z.unknown(), reward: z.number(), feedback: z.string() }).loose())), reward: z.array(z.array(z.number())) }))),
});

describe.skipIf(!existsSync(DATA_DIR))('npm run headless on UserBench samples', () => {
  it("runs the three samples with and without the critic, reports eval.py's figures, and resumes", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spotter-ub-headless-'));
    const args = [
      '--domain', 'travel22', '--samples', '--tasks', '0-2', '--trials', '1', '--concurrency', '2',
      '--actor-base-url', `${provider.url}/v1`, '--actor-model', 'agent', '--user-model', 'judge',
      '--critic-base-url', `${provider.url}/v1`, '--critic-model', 'critic',
      '--out', join(dir, 'ub.json'),
    ];
    const first = await cli(args);
    expect(first.out).not.toMatch(/\berror/); // an episode that failed says '(error'; the summary's critic_errors column does not count
    expect(first.code).toBe(0);
    expect(starts.sort()).toEqual([0, 0, 1, 1, 2, 2]);

    const expectedTurns = plans.map((p) => p.turns.map((t) => t.reward));
    const microAvg = expectedTurns.map((t) => t.reduce((a, b) => a + b, 0) / t.length).reduce((a, b) => a + b, 0) / 3;
    for (const f of ['ub.actor_alone.json', 'ub.critic_intervene.json']) {
      const e = ExportSchema.parse(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      const cache = e.reward_cache['userbench/travel22'] ?? {};
      expect(Object.keys(cache)).toEqual(['0', '1', '2']);
      expect([0, 1, 2].map((t) => cache[String(t)]?.reward[0])).toEqual(expectedTurns);
      expect(cache['0']?.history[0]?.map((h) => h.choice)).toEqual(plans[0]?.turns.map((t) => t.choice));
      expect(cache['0']?.history[0]?.[0]?.feedback).toContain('Here are all the options for <apartment>:');
      const figures = e.results['userbench/travel22']?.['1'];
      expect(figures?.micro_max).toBe(1);
      expect(figures?.avg_number_of_1).toBeCloseTo(7 / 3, 12);
      expect(figures?.avg_number_of_08).toBeCloseTo(1 / 3, 12);
      expect(figures?.micro_avg).toBeCloseTo(microAvg, 12);
    }
    expect(first.out).toMatch(/micro_max/);
    // The judge ran at TravelGymConfig's temperature 0; the agent had to call the tool.
    const judged = provider.requests.filter((r) => r.model === 'judge');
    expect(judged.length).toBeGreaterThan(10);
    expect(judged.every((r) => r.body['temperature'] === 0)).toBe(true);
    expect(provider.requests.filter((r) => r.model === 'agent').every((r) => r.body['tool_choice'] === 'required')).toBe(true);

    // Same command again: nothing left to run.
    starts = [];
    const second = await cli(args);
    expect(second.code).toBe(0);
    expect(second.out).toContain('Resuming');
    expect(starts).toEqual([]);
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8')).not.toContain(KEY);
    expect(first.out + second.out).not.toContain(KEY);
  }, 120_000);

  it('names the missing file when the pack lacks a scenario', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spotter-ub-headless-'));
    const r = await cli([
      '--domain', 'travel22', '--tasks', '0', '--actor-base-url', `${provider.url}/v1`, '--actor-model', 'agent', '--user-model', 'judge', '--out', join(dir, 'x.json'),
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/travelgym_data_22\.json/);
  }, 60_000);
});
