import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderServerDouble } from '../../../tests/doubles/provider-server-double.ts';
import type { ProviderConfig } from '../actor/provider.ts';
import { RequestLog } from '../net/request-log.ts';
import 'fake-indexeddb/auto';
import path from 'node:path';
import { doubleFactories } from '../../../tests/doubles/runner-doubles.ts';
import { EngineCritic } from '../critic/engine-critic.ts';
import type { Critic } from '../critic/critic-interface.ts';
import { TransformersEngine } from '../engines/transformers.ts';
import { AbortedError } from '../errors.ts';
import { TraceStore } from '../traces/trace-store.ts';
import { DEFAULT_PRICES } from '../pricing.ts';
import { runModels, type ModelClientOptions } from './models.ts';
import { providerConfigFor } from '../setup/factory.ts';
import type { ModelSpec } from '../setup/specs.ts';
import { IdbRunStore, newRunRecord } from './record.ts';
import { runBenchmark } from './runner.ts';
import { retailRunSpec } from '../../../tests/fixtures/run-specs.ts';

const server = new ProviderServerDouble();
const base = (): ProviderConfig => ({ kind: 'openai-compatible', baseUrl: `${server.url}/v1`, model: 'x', apiKey: 'sk-bench', temperature: 0, maxTokens: 64, stream: false });
beforeAll(() => server.start());
afterAll(() => server.stop());

describe('benchmark model clients', () => {
  it("send each role's requests through that role's fetch, so the app records them with their purpose", async () => {
    server.script('agent-m', { kind: 'message', content: 'hello' }).script('critic-m', { kind: 'message', content: '{"decision":"approve"}' });
    const log = new RequestLog();
    const base: ProviderConfig = { kind: 'openai-compatible', baseUrl: `${server.url}/v1`, model: 'x', apiKey: 'sk-bench', temperature: 0, maxTokens: 64, stream: false };
    const opts: ModelClientOptions = {
      providerFor: (spec) => providerConfigFor(spec, base),
      fetchFor: (role) => log.fetchFor(role === 'agent' ? 'actor' : role === 'user' ? 'simulated user' : 'critic'),
    };
    const signal = new AbortController().signal;
    await runModels(opts).buildActor({ engine: 'openai-compatible', model: 'agent-m' }, 'agent', 0).propose({ system: 's', messages: [{ role: 'user', content: 'hi' }], tools: [] }, signal);
    await runModels(opts).buildCritic({ engine: 'openai-compatible', model: 'critic-m' }).judge(
      { policy: 'p', tools: [], history: [{ role: 'user', content: 'hi' }], proposal: { kind: 'message', content: 'hello' }, previousAttempts: [] },
      signal,
    );
    expect(log.records.map((r) => [r.purpose, r.path, r.keyIn])).toEqual([
      ['actor', '/v1/chat/completions', ['authorization']],
      ['critic', '/v1/chat/completions', ['authorization']],
    ]);
  });
});

describe('the in-browser critic in a benchmark run', () => {
  it('gets the loop\'s preparation: the engine critic prefills while the actor writes, and its verdicts then compute only the proposal', async () => {
    const engine = new TransformersEngine({ model: 'tiny-critic-kv', localModelPath: `${path.resolve(import.meta.dirname, '../../../.fixtures/models')}/`, dtype: 'fp32' });
    await engine.load(() => {});
    const engineCritic = new EngineCritic(engine, 32);
    const prepared: number[] = [];
    const verdictPrefill: number[] = [];
    const prepare = engineCritic.prepare.bind(engineCritic);
    engineCritic.prepare = async (input, signal) => {
      await prepare(input, signal);
      prepared.push(engineCritic.lastPrepared?.prefillTokens ?? 0);
    };
    const judge = engineCritic.judge.bind(engineCritic);
    engineCritic.judge = async (input, signal) => {
      const v = await judge(input, signal);
      verdictPrefill.push(engineCritic.lastStats?.prefillTokens ?? 0);
      return v;
    };
    const opts: ModelClientOptions = { providerFor: () => base(), localCritic: engineCritic };
    const f = { ...doubleFactories(), buildCritic: (spec: ModelSpec) => runModels(opts).buildCritic(spec) };
    const run = retailRunSpec({
      id: 'prep',
      taskIndices: [0],
      configurations: [{ label: 'critic', mode: 'intervene', critic: { engine: 'local', model: engineCritic.label, local: true } }],
    });
    const rec = await runBenchmark(newRunRecord(run, 0), { ...f, traces: new TraceStore('t-prep-traces', 'episodes'), runs: new IdbRunStore('t-prep-runs', 'runs') }, {
      signal: new AbortController().signal,
      prices: DEFAULT_PRICES,
    });
    expect(rec.status).toBe('done');
    // One preparation before each actor call, each prefilling the prompt up to the proposal.
    expect(prepared).toHaveLength(2);
    expect(prepared.every((n) => n > 0)).toBe(true);
    expect(verdictPrefill).toHaveLength(2);
    for (const [i, n] of verdictPrefill.entries()) expect(n).toBeLessThan(prepared[i] ?? 0);
    await engine.unload();
  });

  it('passes the episode\'s abort to the preparation, and skips one aborted while it waited in the queue', async () => {
    const seen: string[] = [];
    let release = () => {};
    let judging = () => {};
    const judgeStarted = new Promise<void>((r) => (judging = r));
    const inner: Critic = {
      label: 'engine-double',
      judge: async () => {
        judging();
        await new Promise<void>((r) => (release = r));
        return { decision: 'approve', latencyMs: 1, critic: 'engine-double' };
      },
      prepare: async (input, signal) => {
        seen.push(input.history.length === 0 ? 'started' : 'late');
        await new Promise<void>((resolve, reject) => {
          if (signal.aborted) reject(new AbortedError());
          signal.addEventListener('abort', () => reject(new AbortedError()), { once: true });
        });
      },
    };
    const critic = runModels({ providerFor: () => base(), localCritic: inner }).buildCritic({ engine: 'local', model: 'x', local: true });
    const input = { policy: 'p', tools: [], history: [], previousAttempts: [] };
    const episode = new AbortController();
    const running = critic.prepare?.(input, episode.signal);
    await Promise.resolve();
    expect(seen).toEqual(['started']);
    episode.abort();
    await expect(running).rejects.toBeInstanceOf(AbortedError);
    // Queued behind a verdict, then aborted: never reaches the engine.
    const s = new AbortController().signal;
    const verdict = critic.judge({ ...input, proposal: { kind: 'message', content: 'hi' } }, s);
    const late = new AbortController();
    const queued = critic.prepare?.({ ...input, history: [{ role: 'user', content: 'hi' }] }, late.signal);
    await judgeStarted;
    late.abort();
    release();
    await verdict;
    await queued;
    expect(seen).toEqual(['started']);
  });
});
