/**
 * `npm run headless -- --domain tau2/retail` end to end under Node: the real
 * τ³ retail pack (../shared/tau2-bench), the real OpenAI-compatible clients,
 * ProviderServerDouble as agent, simulated user and NL judge
 * (tests/doubles/tau2-gold-double.ts). It writes tau2-bench's own results file
 * and a leaderboard submission.json.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderServerDouble } from '../tests/doubles/provider-server-double.ts';
import { Tau2GoldDouble } from '../tests/doubles/tau2-gold-double.ts';
import { loadTau2Pack } from '../src/lib/envs/tau2/pack.ts';
import { defaultTau2AirlineDb, defaultTau2Dir, nodeTau2Source } from '../src/lib/envs/tau2/pack-node.ts';
import { runHeadless } from '../tests/run-script.ts';

const KEY = 'sk-headless-tau2-SECRET-77';
const ready = existsSync(defaultTau2Dir()) && existsSync(defaultTau2AirlineDb());
const provider = new ProviderServerDouble();

beforeAll(async () => {
  if (!ready) return;
  const gold = new Tau2GoldDouble(await loadTau2Pack(nodeTau2Source(), 'retail'), new Set(['5']));
  await provider.start();
  provider.respond('agent', gold.agent).respond('user-sim', gold.user).respond('judge', gold.judge);
});
afterAll(() => provider.stop());

const cli = (args: string[]) => runHeadless(args, KEY);

const ResultsSchema = z.object({
  info: z.object({ environment_info: z.object({ domain_name: z.string() }), num_trials: z.number() }),
  tasks: z.array(z.object({ id: z.string() })),
  simulations: z.array(z.object({ task_id: z.string(), trial: z.number(), reward_info: z.object({ reward: z.number(), reward_breakdown: z.record(z.string(), z.number()) }).nullable() })),
});
const SubmissionSchema = z.object({ submission_type: z.string(), results: z.object({ retail: z.object({ pass_1: z.number(), pass_2: z.number().nullable() }) }) });

/** Retail test tasks 0 and 9 (ids 5 and 36), two trials: [task id, trial, reward] per simulation, in tau2-bench's order. */
const RETAIL_TWO_TASKS_TWO_TRIALS = [
  ['5', 0, 0],
  ['36', 0, 1],
  ['5', 1, 0],
  ['36', 1, 1],
];

/** `value` with every object key in `keys` left out, at any depth. */
function withoutKeys(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutKeys(v, keys));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.has(k)).map(([k, v]) => [k, withoutKeys(v, keys)]));
}

describe.runIf(ready)('npm run headless -- --domain tau2/retail', () => {
  it("writes tau2-bench's results file and a submission.json, with the NL judge, and keeps the key out", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spotter-headless-tau2-'));
    const out = join(dir, 'results.json');
    const r = await cli([
      '--domain', 'tau2/retail', '--split', 'test', '--tasks', '0,9', '--trials', '2', '--concurrency', '2',
      '--actor-base-url', `${provider.url}/v1`, '--actor-model', 'agent', '--user-model', 'user-sim', '--judge-model', 'judge',
      '--out', out,
    ]);
    expect(r.out).not.toContain(KEY);
    expect(r.code, r.out).toBe(0);
    const results = ResultsSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(results.info.environment_info.domain_name).toBe('retail');
    expect(results.tasks.map((t) => t.id)).toEqual(['5', '36']);
    expect(results.simulations.map((s) => [s.task_id, s.trial, s.reward_info?.reward])).toEqual(RETAIL_TWO_TASKS_TWO_TRIALS);
    expect(results.simulations[1]?.reward_info?.reward_breakdown).toEqual({ DB: 1, NL_ASSERTION: 1 });
    const submission = SubmissionSchema.parse(JSON.parse(readFileSync(join(dir, 'results.submission.json'), 'utf8')));
    expect(submission).toMatchObject({ submission_type: 'standard', results: { retail: { pass_1: 50, pass_2: 50 } } });
    expect(readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(5);
    expect(readFileSync(out, 'utf8')).not.toContain(KEY);
  }, 120_000);

  it("merges a τ³ sweep's shards into tau2-bench's results file and a submission.json, as one run writes them", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spotter-headless-tau2-sweep-'));
    const args = [
      '--domain', 'tau2/retail', '--split', 'test', '--tasks', '0,9', '--trials', '2', '--run-id', 'tau2-sweep',
      '--actor-base-url', `${provider.url}/v1`, '--actor-model', 'agent', '--user-model', 'user-sim', '--judge-model', 'judge',
    ];
    const shardOut = (i: number) => join(dir, `shard-${i}`, 'r.json');
    const [single, ...shards] = await Promise.all([
      cli([...args, '--out', join(dir, 'single', 'r.json')]),
      ...[1, 2].map((i) => cli([...args, '--shard', `${i}/2`, '--out', shardOut(i)])),
    ]);
    expect(single?.code, single?.out).toBe(0);
    for (const s of shards) expect(s.code, s.out).toBe(0);
    const out = join(dir, 'all', 'r.json');
    const merged = await cli(['merge', `${shardOut(1)}.state.json`, `${shardOut(2)}.state.json`, '--out', out]);
    expect(merged.code, merged.out).toBe(0);
    expect(merged.out).toContain('4 of 4 units merged');
    const results = ResultsSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(results.info.num_trials).toBe(2);
    expect(results.tasks.map((t) => t.id)).toEqual(['5', '36']);
    expect(results.simulations.map((s) => [s.task_id, s.trial, s.reward_info?.reward])).toEqual(RETAIL_TWO_TASKS_TWO_TRIALS);
    const submission = SubmissionSchema.parse(JSON.parse(readFileSync(join(dir, 'all', 'r.submission.json'), 'utf8')));
    expect(submission).toMatchObject({ results: { retail: { pass_1: 50, pass_2: 50 } } });
    expect(readFileSync(join(dir, 'all', 'r.csv'), 'utf8').trim().split('\n')).toHaveLength(5);

    // What the merge writes is what the one run writes, but for the clock (found by diffing the two once): tau2's
    // results file differs only in `timestamp` (the file's, each simulation's and each message's), `start_time`,
    // `end_time` and `duration`; submission.json can differ only in `submission_date` and `evaluation_date` (the day,
    // across midnight). Costs are null on both sides (no price for these model names), so they are compared.
    const read = (sub: string, file: string, times: readonly string[]) => withoutKeys(JSON.parse(readFileSync(join(dir, sub, file), 'utf8')), new Set(times));
    const RESULT_TIMES = ['timestamp', 'start_time', 'end_time', 'duration'];
    expect(read('all', 'r.json', RESULT_TIMES)).toEqual(read('single', 'r.json', RESULT_TIMES));
    const DAYS = ['submission_date', 'evaluation_date'];
    expect(read('all', 'r.submission.json', DAYS)).toEqual(read('single', 'r.submission.json', DAYS));

    // Without the tasks it cannot write tau2's file: the rest is written, the reason said, exit code 1.
    const noData = await cli(['merge', `${out}.state.json`, '--out', join(dir, 'no-data', 'r.json'), '--data-dir', join(dir, 'nowhere')]);
    expect(noData.code, noData.out).toBe(1);
    expect(noData.out).toMatch(/merge: no tau2-bench results file: .*nowhere/);
    expect(existsSync(join(dir, 'no-data', 'r.csv'))).toBe(true);
  }, 180_000);
});

describe.runIf(existsSync(defaultTau2Dir()))('npm run headless -- --domain tau2/telecom --split full', () => {
  it("stops before any episode on data that lacks the split's tasks, naming both counts", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spotter-headless-tau2-full-'));
    // Nothing listens at the endpoint: no episode may start, so no request is made.
    const r = await cli([
      '--domain', 'tau2/telecom', '--split', 'full', '--tasks', '0-2', '--actor-base-url', 'http://127.0.0.1:9/v1', '--actor-model', 'agent',
      '--out', join(dir, 'r.json'),
    ]);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/: error \(telecom\/full: split full has 2,285 tasks; this data \(.+tau2-bench\) holds 134 of them: load τ³ data from GitHub \(tau2-bench at a2c0247\) to run it\)/);
    expect(r.out).not.toMatch(/\[\d+\/3\] task/);
    expect(r.out).not.toContain(KEY);
  }, 60_000);
});
