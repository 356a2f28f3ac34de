/**
 * τ³ runs in process: the real retail pack (../shared/tau2-bench), the port's
 * environment, the original's user simulator, the runner, and the real OpenAI
 * client against ProviderServerDouble playing agent, simulated user, NL judge
 * and critic (tests/doubles/tau2-gold-double.ts). Tasks × trials × off and
 * intervene, pass^k, the reward breakdown per component, "not judged" without
 * a judge, and resume.
 */
import 'fake-indexeddb/auto';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderServerDouble } from '../../../tests/doubles/provider-server-double.ts';
import { Tau2GoldDouble } from '../../../tests/doubles/tau2-gold-double.ts';
import { NL_JUDGE_SYSTEM_PROMPT } from '../envs/tau2/nl-judge.ts';
import { loadTau2Pack, type Tau2Pack } from '../envs/tau2/pack.ts';
import { defaultTau2AirlineDb, defaultTau2Dir, nodeTau2Source } from '../envs/tau2/pack-node.ts';
import { DEFAULT_PRICES } from '../pricing.ts';
import { TraceStore } from '../traces/trace-store.ts';
import { parseRunSpec, type RunSpecInput } from './plan.ts';
import { IdbRunStore, newRunRecord } from './record.ts';
import { configurationResults } from './results.ts';
import { resultsCsv } from './results-export.ts';
import { runFactories } from './run-factories.ts';
import { runBenchmark } from './runner.ts';
import type { RunRecord } from './record.ts';
import { tau2ResultsJson } from './tau2-export.ts';
import { tau2RunResults } from './tau2-run-export.ts';
import type { EpisodeTrace } from '../traces/schema.ts';

const ready = existsSync(defaultTau2Dir()) && existsSync(defaultTau2AirlineDb());
const provider = new ProviderServerDouble();
let pack: Tau2Pack;
let db = 0;

function specWith(over: Partial<RunSpecInput>) {
  const remote = (model: string) => ({ engine: 'openai-compatible' as const, model, baseUrl: `${provider.url}/v1` });
  return parseRunSpec({
    id: `tau2-run-${++db}`,
    environment: { family: 'tau2', domain: 'retail' },
    split: 'test',
    // Test split: index 0 is task 5 (DB only), index 9 is task 36 (DB and two NL assertions).
    taskIndices: [0, 9],
    trials: 2,
    concurrency: 2,
    maxSteps: 30,
    actor: remote('agent'),
    user: remote('user'),
    configurations: [
      { label: 'alone', mode: 'off' },
      { label: 'critic', mode: 'intervene', critic: remote('critic') },
    ],
    ...over,
  });
}

function factories() {
  const base = { kind: 'openai-compatible' as const, baseUrl: '', model: '', apiKey: 'sk-x', temperature: 0, maxTokens: 256, stream: false };
  return runFactories(
    { family: 'tau2', domain: 'retail' },
    { tauBench: () => ({ describe: 'none', readText: () => Promise.reject(new Error('no')) }), userBench: () => () => Promise.reject(new Error('no')), tau2: () => () => Promise.resolve(pack) },
    { providerFor: (m) => ({ ...base, model: m.model, baseUrl: m.baseUrl ?? '' }), clientOptions: { retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 5000 } } },
  );
}

const ExportedSchema = z.object({
  tasks: z.array(z.object({ id: z.string() })),
  simulations: z.array(
    z.object({
      task_id: z.string(),
      trial: z.number(),
      termination_reason: z.string(),
      messages: z.array(z.record(z.string(), z.unknown())),
      reward_info: z
        .object({ reward: z.number(), reward_breakdown: z.record(z.string(), z.number()).nullable(), nl_assertions: z.array(z.object({ justification: z.string() })).nullable() })
        .nullable(),
      info: z.object({ spotter: z.record(z.string(), z.unknown()) }).nullable(),
    }),
  ),
});

async function traceMap(traces: TraceStore, rec: RunRecord): Promise<(id: string) => EpisodeTrace | undefined> {
  const all = new Map<string, EpisodeTrace>();
  for (const r of Object.values(rec.results)) {
    const t = await traces.get(r.episodeId);
    if (t) all.set(r.episodeId, t);
  }
  return (id) => all.get(id);
}

function exportOptions() {
  return { pack, prices: DEFAULT_PRICES, now: 0 };
}

beforeAll(async () => {
  if (!ready) return;
  pack = await loadTau2Pack(nodeTau2Source(), 'retail');
  await provider.start();
});
afterAll(() => provider.stop());

describe.runIf(ready)('a τ³ run', () => {
  it('scores tasks × trials × configurations with the NL judge, the breakdown per component in each result', async () => {
    const gold = new Tau2GoldDouble(pack, new Set(['5']));
    provider.reset();
    provider.respond('agent', gold.agent).respond('user', gold.user).respond('judge', gold.judge).respond('critic', gold.critic);
    // Read from upstream (here: ../shared): each episode records it, as the Chat tab's do, for the Data tab's gold.
    const spec = specWith({ nlJudge: { engine: 'openai-compatible', model: 'judge', baseUrl: `${provider.url}/v1` }, dataSource: 'upstream' });
    const traces = new TraceStore(`tau2-traces-${db}`, 'episodes');
    const runs = new IdbRunStore(`tau2-runs-${db}`, 'runs');
    const rec = await runBenchmark(newRunRecord(spec, 0), { ...factories(), traces, runs }, { signal: new AbortController().signal, prices: DEFAULT_PRICES });

    expect(rec.status).toBe('done');
    const results = Object.values(rec.results);
    expect(results).toHaveLength(8);
    for (const r of results) {
      if (r.taskIndex === 0) expect(r).toMatchObject({ outcome: 'done', reward: 0, rewardDetails: { taskId: '5', breakdown: { DB: 0, NL_ASSERTION: 1 }, notJudged: false } });
      else expect(r).toMatchObject({ outcome: 'done', reward: 1, rewardDetails: { taskId: '36', breakdown: { DB: 1, NL_ASSERTION: 1 }, nlAssertions: [true, true] } });
      expect(r.notJudged).toBeUndefined();
    }
    const [alone, critic] = configurationResults(rec, DEFAULT_PRICES);
    expect(alone?.passK?.passK.map((p) => p.value)).toEqual([0.5, 0.5]);
    expect(critic?.passK?.passK.map((p) => p.value)).toEqual([0.5, 0.5]);
    expect(critic?.notJudged).toBe(0);
    expect(results.filter((r) => r.configIndex === 1).every((r) => r.criticCalls > 0)).toBe(true);
    expect(results.filter((r) => r.configIndex === 0).every((r) => r.criticCalls === 0)).toBe(true);

    // The judge got the original's prompt at temperature 0, once per episode of the NL task.
    const asked = provider.requests.filter((q) => q.model === 'judge');
    expect(asked).toHaveLength(4);
    expect(asked[0]?.body['temperature']).toBe(0);
    expect(asked[0]?.body['messages']).toMatchObject([{ role: 'system', content: NL_JUDGE_SYSTEM_PROMPT }, { role: 'user' }]);

    // The judge's tokens count in the run: an entry of their own (11 + 7 per call from the double), priced by its model.
    for (const r of results) {
      const judged = r.usage.filter((u) => u.role === 'judge');
      expect(judged).toEqual([{ role: 'judge', model: 'judge', ...(r.taskIndex === 9 ? { promptTokens: 11, completionTokens: 7 } : { promptTokens: 0, completionTokens: 0 }) }]);
    }
    const priced = { agent: { inputPerM: 1, outputPerM: 1 }, user: { inputPerM: 1, outputPerM: 1 }, critic: { inputPerM: 1, outputPerM: 1 } };
    const [, withoutJudgePrice] = configurationResults(rec, priced);
    expect(withoutJudgePrice?.cost).toMatchObject({ usd: undefined, unknownModels: ['judge'] });
    const [, withJudge] = configurationResults(rec, { ...priced, judge: { inputPerM: 1_000_000, outputPerM: 0 } });
    // Two episodes of task 36 in the critic configuration, 11 prompt tokens each at $1 a token.
    expect((withJudge?.cost.usd ?? 0) - (withoutJudgePrice?.cost.knownUsd ?? 0)).toBeCloseTo(22, 6);
    const csv = resultsCsv(rec, DEFAULT_PRICES).trimEnd().split('\n').map((l) => l.split(','));
    const col = (name: string) => (csv[0] ?? []).indexOf(name);
    expect(csv).toHaveLength(9);
    for (const row of csv.slice(1)) expect([row[col('judge_prompt_tokens')], row[col('judge_completion_tokens')]]).toEqual(row[col('task_id')] === '9' ? ['11', '7'] : ['0', '0']);

    const trace = await traces.get(`${spec.id}/c1-t9-r1`);
    expect(trace?.meta.environment).toEqual({ family: 'tau2', domain: 'retail' });
    expect(trace?.meta.dataSource).toBe('upstream');
    expect(trace?.reward).toBe(1);
    expect(trace?.rewardDetails).toMatchObject({ breakdown: { DB: 1, NL_ASSERTION: 1 } });

    // tau2's results file for the critic configuration, from the verdicts the episodes stored; byte for byte what
    // grading every rebuilt conversation again gives (which also insists on the rewards the run recorded).
    const traceOf = await traceMap(traces, rec);
    const json = tau2ResultsJson(await tau2RunResults(rec, 1, traceOf, exportOptions()));
    expect(tau2ResultsJson(await tau2RunResults(rec, 1, traceOf, { ...exportOptions(), regrade: true }))).toBe(json);
    const exported = JSON.parse(json);
    const file = ExportedSchema.parse(exported);
    expect(file.tasks.map((t) => t.id)).toEqual(['5', '36']);
    expect(file.simulations.map((s) => [s.task_id, s.trial, s.termination_reason, s.reward_info?.reward])).toEqual([
      ['5', 0, 'agent_stop', 0],
      ['36', 0, 'agent_stop', 1],
      ['5', 1, 'agent_stop', 0],
      ['36', 1, 'agent_stop', 1],
    ]);
    const sim36 = file.simulations[1];
    expect(sim36?.reward_info?.reward_breakdown).toEqual({ DB: 1, NL_ASSERTION: 1 });
    expect(sim36?.reward_info?.nl_assertions?.map((c) => c.justification)).toEqual(['The agent did this.', 'The agent did this.']);
    expect(sim36?.messages[0]).toMatchObject({ role: 'assistant', content: 'Hi! How can I help you today?' });
    expect(sim36?.messages[1]).toMatchObject({ role: 'user', content: expect.stringContaining('(task 36)') });
    expect(sim36?.messages.at(-1)).toMatchObject({ role: 'assistant', content: expect.stringContaining('###STOP###') });
    expect(sim36?.info?.spotter).toMatchObject({ configuration: 'critic', mode: 'intervene', critic: 'critic' });
  }, 120_000);

  it('a judge model that does not answer stops the run in its pre-flight, before any episode', async () => {
    const gold = new Tau2GoldDouble(pack);
    provider.reset();
    provider.respond('agent', gold.agent).respond('user', gold.user).respond('critic', gold.critic);
    provider.respond('judge-bad', () => ({ kind: 'status', status: 404, message: 'The model judge-bad does not exist' }));
    const spec = specWith({ nlJudge: { engine: 'openai-compatible', model: 'judge-bad', baseUrl: `${provider.url}/v1` } });
    const traces = new TraceStore(`tau2-traces-${db}`, 'episodes');
    const runs = new IdbRunStore(`tau2-runs-${db}`, 'runs');
    const rec = await runBenchmark(newRunRecord(spec, 0), { ...factories(), traces, runs }, { signal: new AbortController().signal, prices: DEFAULT_PRICES, preflight: true });
    expect(rec.status).toBe('error');
    expect(rec.error).toMatch(/^Pre-flight check failed, so no episode was started: the judge model judge-bad at http:\/\/127\.0\.0\.1:\d+\/v1 did not answer\./);
    expect(Object.keys(rec.results)).toHaveLength(0);
    expect(provider.requests.filter((q) => q.model === 'judge-bad')).toHaveLength(1);
  }, 60_000);

  it('without a judge the NL task is "not judged": recorded as such, never a pass, and left out of pass^k without errors; a resume runs only what is missing', async () => {
    const gold = new Tau2GoldDouble(pack);
    provider.reset();
    provider.respond('agent', gold.agent).respond('user', gold.user).respond('critic', gold.critic);
    const spec = specWith({ configurations: [{ label: 'alone', mode: 'off' }] });
    const traces = new TraceStore(`tau2-traces-${db}`, 'episodes');
    const runs = new IdbRunStore(`tau2-runs-${db}`, 'runs');
    const first = await runBenchmark(newRunRecord(spec, 0), { ...factories(), traces, runs }, { signal: new AbortController().signal, prices: DEFAULT_PRICES, only: (s) => s.trial === 0 });
    expect(Object.keys(first.results)).toHaveLength(2);
    const agentCalls = provider.requests.filter((q) => q.model === 'agent').length;
    const rec = await runBenchmark(first, { ...factories(), traces, runs }, { signal: new AbortController().signal, prices: DEFAULT_PRICES });
    expect(rec.status).toBe('done');
    expect(provider.requests.filter((q) => q.model === 'agent').length).toBe(agentCalls * 2);

    const nl = Object.values(rec.results).filter((r) => r.taskIndex === 9);
    expect(nl).toHaveLength(2);
    for (const r of nl) expect(r).toMatchObject({ outcome: 'done', notJudged: true, reward: 0, rewardDetails: { notJudged: true, breakdown: { DB: 1, NL_ASSERTION: null } } });
    expect(Object.values(rec.results).filter((r) => r.taskIndex === 0).map((r) => r.reward)).toEqual([1, 1]);
    const [alone] = configurationResults(rec, DEFAULT_PRICES);
    expect(alone?.notJudged).toBe(2);
    expect(alone?.passK?.passK[0]?.value).toBe(0.5);
    expect(alone?.passKWithoutErrors?.numTasks).toBe(1);
    expect(alone?.passKWithoutErrors?.passK[0]?.value).toBe(1);
    expect(provider.requests.some((q) => q.model === 'judge')).toBe(false);

    const traceOf = await traceMap(traces, rec);
    const json = tau2ResultsJson(await tau2RunResults(rec, 0, traceOf, exportOptions()));
    expect(tau2ResultsJson(await tau2RunResults(rec, 0, traceOf, { ...exportOptions(), regrade: true }))).toBe(json);
    // An episode without stored verdicts (an older trace) is graded again from its conversation: the same file.
    const bare = (id: string): EpisodeTrace | undefined => {
      const t = traceOf(id);
      if (!t) return undefined;
      const { rewardDetails: _details, ...rest } = t;
      return rest;
    };
    expect(tau2ResultsJson(await tau2RunResults(rec, 0, bare, exportOptions()))).toBe(json);
    const file = ExportedSchema.parse(JSON.parse(json));
    expect(file.simulations.map((s) => [s.task_id, s.reward_info?.reward ?? null, s.info?.spotter['not_judged'] ?? false])).toEqual([
      ['5', 1, false],
      ['36', null, true],
      ['5', 1, false],
      ['36', null, true],
    ]);
  }, 120_000);
});
