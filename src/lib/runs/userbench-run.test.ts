/**
 * A UserBench run in process: the real sample pack, TravelGym, runner and
 * OpenAI client, with ProviderServerDouble as the agent and the judge/user.
 * Covers what eval.py does when a rollout breaks: a reply without a tool call
 * and a failing agent call both end it with the turn rewards so far.
 */
import 'fake-indexeddb/auto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderServerDouble, type RecordedRequest, type ScriptedReply } from '../../../tests/doubles/provider-server-double.ts';
import { samplePlans, userBenchAgentDouble, userBenchJudgeDouble } from '../../../tests/doubles/userbench-agent-double.ts';
import { nodePackSource } from '../envs/tau-bench/pack-node.ts';
import { TraceStore } from '../traces/trace-store.ts';
import { DEFAULT_PRICES } from '../pricing.ts';
import { parseRunSpec } from './plan.ts';
import { IdbRunStore, newRunRecord } from './record.ts';
import { configurationResults } from './results.ts';
import { runBenchmark } from './runner.ts';
import { userBenchFactories } from './userbench-factories.ts';
import { sourcePackLoader, USERBENCH_SAMPLES } from './userbench-packs.ts';
import { userBenchExport } from './userbench-export.ts';

const DIR = resolve(process.env.SPOTTER_USERBENCH_DIR ?? '../shared/userbench');
const plans = samplePlans(DIR);
const provider = new ProviderServerDouble();
const planned = userBenchAgentDouble(plans);

/** Sample 0 plays its plan; sample 1 talks instead of calling the tool after two searches; sample 2's agent breaks after one. */
function agent(req: RecordedRequest): ScriptedReply {
  const all = JSON.stringify(req.body['messages']);
  const tools = (all.match(/"role":"tool"/g) ?? []).length;
  if (all.includes(plans[1]?.initialDesc.slice(0, 60) ?? '-') && tools === 2) return { kind: 'message', content: 'Let me think about it.' };
  if (all.includes(plans[2]?.initialDesc.slice(0, 60) ?? '-') && tools === 1) return { kind: 'status', status: 400, message: 'scripted bad request' };
  return planned(req);
}

beforeAll(async () => {
  await provider.start();
  provider.respond('agent', agent).respond('judge', userBenchJudgeDouble);
});
afterAll(() => provider.stop());

describe('a UserBench run', () => {
  it('records every turn reward, ends broken rollouts as eval.py does, and reports its figures', async () => {
    const spec = parseRunSpec({
      id: 'ub-run',
      environment: { family: 'userbench', domain: 'travel22', ...USERBENCH_SAMPLES, scenarioFiles: [...USERBENCH_SAMPLES.scenarioFiles] },
      taskIndices: [0, 1, 2],
      trials: 1,
      concurrency: 3,
      maxSteps: 20,
      userTemperature: 0,
      actor: { engine: 'openai-compatible', model: 'agent', baseUrl: `${provider.url}/v1` },
      user: { engine: 'openai-compatible', model: 'judge', baseUrl: `${provider.url}/v1` },
      configurations: [{ label: 'alone', mode: 'off' }],
    });
    const traces = new TraceStore('ub-traces', 'episodes');
    const runs = new IdbRunStore('ub-runs', 'runs');
    const base = { kind: 'openai-compatible' as const, baseUrl: '', model: '', apiKey: 'sk-x', temperature: 0, maxTokens: 256, stream: false };
    const factories = userBenchFactories(sourcePackLoader(nodePackSource(DIR)), {
      providerFor: (m) => ({ ...base, model: m.model, baseUrl: m.baseUrl ?? '' }),
      clientOptions: { retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 5000 } },
    });
    const rec = await runBenchmark(newRunRecord(spec, 0), { ...factories, traces, runs }, { signal: new AbortController().signal, prices: DEFAULT_PRICES });

    const byTask = (t: number) => Object.values(rec.results).find((r) => r.taskIndex === t);
    expect(byTask(0)).toMatchObject({ outcome: 'done', reward: 1, turnRewards: plans[0]?.turns.map((t) => t.reward) });
    expect(byTask(1)).toMatchObject({ outcome: 'done', reward: 0, turnRewards: [0.2, 0.2] });
    expect(byTask(2)).toMatchObject({ outcome: 'error', reward: 0, turnRewards: [0.2] });
    // The judge/user model's tokens are counted as the user's.
    expect(byTask(0)?.usage.find((u) => u.role === 'user')?.promptTokens).toBeGreaterThan(0);

    const [alone] = configurationResults(rec, DEFAULT_PRICES);
    expect(alone?.passK?.passK[0]?.value).toBeCloseTo(1 / 3, 12);
    expect(alone?.userBench?.microMax).toBeCloseTo((1 + 0.2 + 0.2) / 3, 12);
    expect(alone?.userBench?.avgNumberOf1).toBeCloseTo(2 / 3, 12);

    const trace1 = await traces.get('ub-run/c0-t1-r0');
    expect(trace1?.timeline.at(-1)).toMatchObject({ type: 'user', content: expect.stringContaining('without calling interact_with_env') });
    const exported = userBenchExport(rec, 0, () => undefined);
    expect(exported.reward_cache['userbench/travel22']?.['2']?.reward).toEqual([[0.2]]);
  }, 60_000);
});
