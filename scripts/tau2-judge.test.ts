/**
 * `npm run tau2 -- replay` with and without the NL-assertion judge: the real
 * retail data, the real OpenAI client against ProviderServerDouble.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderServerDouble } from '../tests/doubles/provider-server-double.ts';
import { NL_JUDGE_SYSTEM_PROMPT } from '../src/lib/envs/tau2/nl-judge.ts';

const RETAIL = '../shared/tau2-bench/retail/tasks.json';
const KEY = 'sk-judge-cli-SECRET-5';
const provider = new ProviderServerDouble();
const Task = z.object({ id: z.string(), evaluation_criteria: z.object({ nl_assertions: z.array(z.string()).nullable().optional() }) });

beforeAll(async () => {
  await provider.start();
  const tasks = existsSync(RETAIL) ? z.array(Task).parse(JSON.parse(readFileSync(RETAIL, 'utf8'))) : [];
  const assertions = tasks.find((t) => t.id === '19')?.evaluation_criteria.nl_assertions ?? [];
  provider.respond('judge', () => ({ kind: 'message', content: JSON.stringify({ results: assertions.map((a) => ({ expectedOutcome: a, reasoning: 'ok', metExpectation: true })) }) }));
});
afterAll(() => provider.stop());

function replay(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/tau2.ts', 'replay', '--domain', 'retail', '--task-id', '19', ...args], {
      env: { ...process.env, SPOTTER_JUDGE_KEY: KEY },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => done({ code, out, err }));
  });
}

const Line = z.object({ reward: z.number().nullable(), reward_breakdown: z.record(z.string(), z.number().nullable()), nl_assertions: z.unknown() });

describe.runIf(existsSync(RETAIL))('npm run tau2 -- replay with an NL judge', () => {
  it('judges NL_ASSERTION with the judge named on the command line, and says "not judged" without one', async () => {
    const judged = await replay(['--judge-base-url', `${provider.url}/v1`, '--judge-model', 'judge']);
    expect(judged.code, judged.err).toBe(0);
    const line = Line.parse(JSON.parse(judged.out));
    expect(line.reward).toBe(1);
    expect(line.reward_breakdown).toEqual({ DB: 1, NL_ASSERTION: 1 });
    expect(line.nl_assertions).toMatchObject({ checks: [{ met: true }, { met: true }] });
    expect(provider.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    const sent = z.array(z.object({ role: z.string(), content: z.string() })).parse(provider.requests[0]?.body['messages']);
    expect(sent.map((m) => m.role)).toEqual(['system', 'user']);
    expect(sent[0]?.content).toBe(NL_JUDGE_SYSTEM_PROMPT);

    const plain = Line.parse(JSON.parse((await replay([])).out));
    expect(plain.reward).toBeNull();
    expect(plain.nl_assertions).toBe('not judged');
  }, 60_000);
});
