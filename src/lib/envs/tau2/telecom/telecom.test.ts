/**
 * tau2 telecom beyond the replay parity (../parity.test.ts): what the models are shown (tool schemas on
 * both sides, the assembled policy) and the fresh databases equal the original's, recorded by
 * tests/fixtures/tau2/record_telecom_schemas.py; dual control works through the replay path.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseJson } from '../../tau-bench/py.ts';
import { domainEnvFactory, TAU2_DOMAIN_SPECS } from '../domains.ts';
import { goldSteps, parseReplaySteps, replay } from '../replay.ts';
import { parseTasks } from '../tasks.ts';
import { toolSchemas } from '../toolkit.ts';
import { TELECOM_POLICY_FILES, TELECOM_TOOLS, TELECOM_USER_TOOLS, telecomEnvFactory, telecomPolicy } from './index.ts';

const DIR = resolve('../shared/tau2-bench/telecom');
const Recorded = z.object({
  assistant: z.array(z.unknown()),
  user: z.array(z.unknown()),
  policy_sha256: z.string(),
  policy_len: z.number(),
  db_hash: z.string(),
  user_db_hash: z.string(),
});
const recorded = Recorded.parse(JSON.parse(readFileSync(resolve('tests/fixtures/tau2/telecom-schemas.json'), 'utf8')));
const read = (f: string): string => readFileSync(`${DIR}/${f}`, 'utf8');

describe('tau2 telecom: what the models see', () => {
  it("gives the agent's 13 tools and the user's 30 phone tools the original's OpenAI schemas, in order", () => {
    expect(TELECOM_TOOLS).toHaveLength(13);
    expect(TELECOM_USER_TOOLS).toHaveLength(30);
    expect(toolSchemas(TELECOM_TOOLS)).toEqual(recorded.assistant);
    expect(toolSchemas(TELECOM_USER_TOOLS)).toEqual(recorded.user);
    expect(TAU2_DOMAIN_SPECS.telecom.userTools).toBe(TELECOM_USER_TOOLS);
  });

  it.runIf(existsSync(DIR))('assembles the policy from main_policy.md and tech_support_manual.md as get_environment does', () => {
    const spec = TAU2_DOMAIN_SPECS.telecom;
    const policy = spec.policy(spec.files.policyFiles.map(read));
    expect(policy).toBe(telecomPolicy(read(TELECOM_POLICY_FILES.main), read(TELECOM_POLICY_FILES.techSupport)));
    expect([...policy].length).toBe(recorded.policy_len);
    expect(createHash('sha256').update(policy).digest('hex')).toBe(recorded.policy_sha256);
  });
});

describe.runIf(existsSync(DIR))('tau2 telecom: databases and dual control', () => {
  const makeEnv = telecomEnvFactory(read('db.toml'), read('user_db.toml'));
  const tasks = [...parseTasks(read('tasks.37199f3.json'), 'tasks.37199f3.json'), ...parseTasks(read('tasks_small.json'), 'tasks_small.json')];

  it('loads db.toml and user_db.toml to the same DB hashes as the original', async () => {
    const env = makeEnv();
    expect(await env.dbHash()).toBe(recorded.db_hash);
    expect(await env.userDbHash()).toBe(recorded.user_db_hash);
  });

  it('covers the 134 tasks of the base and small splits, every one with user-side set-up', () => {
    const split = z.record(z.string(), z.array(z.string())).parse(JSON.parse(read('split_tasks.json')));
    const ids = new Set(tasks.map((t) => t.id));
    expect(ids.size).toBe(134);
    for (const name of ['base', 'train', 'test', 'small']) expect((split[name] ?? []).filter((id) => !ids.has(id))).toEqual([]);
    expect(tasks.every((t) => t.initializationActions.some((a) => a.envType === 'user'))).toBe(true);
  });

  it("runs the user's tools on the phone, not the agent's side, and the phone follows the carrier's records", async () => {
    const task = tasks.find((t) => t.id === '[mobile_data_issue]data_mode_off|data_usage_exceeded[PERSONA:None]');
    if (task === undefined) throw new Error('task missing');
    const speedTest = parseReplaySteps(parseJson('[{"requestor": "user", "name": "run_speed_test", "arguments": {}}]'), 'inline');
    const wrongSide = parseReplaySteps(parseJson('[{"requestor": "assistant", "name": "toggle_data", "arguments": {}}]'), 'inline');
    const steps = [...speedTest, ...wrongSide, ...goldSteps(task), ...speedTest];
    const r = await replay(task, steps, makeEnv, null);
    expect(r.observations.map((o) => [o.requestor, o.name, o.content.split('\n')[0]])).toEqual([
      ['user', 'run_speed_test', 'Speed test failed: No Connection.'],
      ['assistant', 'toggle_data', "Error: Tool 'toggle_data' not found."],
      ['user', 'toggle_data', 'Mobile Data is now ON.'],
      ['assistant', 'refuel_data', '{"message": "Successfully added 2.0 GB of data for line L1002 for $4.00", "new_data_refueling_gb": "2.0", "charge": "4.0"}'],
      ['user', 'run_speed_test', 'Speed Test Result: 275.00 Mbps (Excellent). Connection is very fast.'],
    ]);
    expect(r.userDbHash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.reward.breakdown).toEqual({ ENV_ASSERTION: 1 });
    expect(r.reward.reward).toBe(1);
  });

  it('fails the env assertions when the user never acts on the phone', async () => {
    const task = tasks.find((t) => t.id === '[mobile_data_issue]data_mode_off|data_usage_exceeded[PERSONA:None]');
    if (task === undefined) throw new Error('task missing');
    const agentOnly = goldSteps(task).filter((s) => s.kind !== 'tool' || s.requestor === 'assistant');
    const r = await replay(task, agentOnly, makeEnv, null);
    expect(r.reward.envAssertions.map((a) => [a.funcName, a.met])).toEqual([
      ['assert_mobile_data_status', false],
      ['assert_internet_speed', false],
      ['assert_data_refueling_amount', true],
    ]);
    expect(r.reward.reward).toBe(0);
  });

  it('names the file when a TOML database is malformed, and needs the user database', () => {
    expect(() => telecomEnvFactory('[[plans]\nplan_id = 1', read('user_db.toml'))).toThrow(/telecom db\.toml: not valid TOML/);
    expect(() => domainEnvFactory('telecom', read('db.toml'))).toThrow(/user_db\.toml/);
  });

  it('rejects a database record that breaks the data model, naming the field', () => {
    expect(() => telecomEnvFactory(read('db.toml').replace('data_limit_gb = 5.0', 'data_limit_gb = "lots"'), read('user_db.toml'))).toThrow(
      /plans\.0\.data_limit_gb\n {2}Input should be a valid number/,
    );
  });
});
