import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { TraceStore } from '../traces/trace-store.ts';
import { ProviderError } from '../errors.ts';
import { ScriptedActorDouble } from '../../../tests/doubles/scripted-doubles.ts';
import { DEFAULT_PRICES, type PriceTable } from '../pricing.ts';
import type { RunSpecInput } from './plan.ts';
import { IdbRunStore, newRunRecord } from './record.ts';
import { configurationResults } from './results.ts';
import { pendingSlots, runBenchmark, type BenchProgress } from './runner.ts';
import { doubleFactories, ScriptedAgentDouble } from '../../../tests/doubles/runner-doubles.ts';
import { retailRunSpec } from '../../../tests/fixtures/run-specs.ts';

let dbCounter = 0;
function stores() {
  dbCounter++;
  return { traces: new TraceStore(`t-traces-${dbCounter}`, 'episodes'), runs: new IdbRunStore(`t-bench-${dbCounter}`, 'runs') };
}

function spec(over: Partial<RunSpecInput> = {}) {
  return retailRunSpec({
    id: 'run1',
    trials: 2,
    configurations: [
      { label: 'alone', mode: 'off' },
      { label: 'critic', mode: 'intervene', critic: { engine: 'local', model: 'tiny-critic', local: true } },
    ],
    ...over,
  });
}

const prices: PriceTable = DEFAULT_PRICES;

describe('runBenchmark', () => {
  it('a pre-flight call to each remote model fails the run before its first episode, naming the model and the reason', async () => {
    const s = stores();
    const f = doubleFactories();
    const remote = spec({ actor: { engine: 'openai-compatible', model: 'gpt-x', baseUrl: 'https://api.example/v1' } });
    const failing = { ...f, buildActor: () => new ScriptedActorDouble([new ProviderError('The provider rejected the API key. HTTP 401: bad key', 401, false)]) };
    const rec = await runBenchmark(newRunRecord(remote, 1000), { ...failing, ...s }, { signal: new AbortController().signal, prices, preflight: true });
    expect(rec.status).toBe('error');
    expect(rec.error).toMatch(/^Pre-flight check failed, so no episode was started: the agent model gpt-x at https:\/\/api\.example\/v1 did not answer\. The provider rejected the API key\./);
    expect(Object.keys(rec.results)).toHaveLength(0);
    expect(f.envsCreated).toHaveLength(0);
  });

  it('reports errored episodes apart: grouped by reason, and left out of pass^k unless counted as failures', async () => {
    const s = stores();
    const rec = await runBenchmark(newRunRecord(spec({ concurrency: 2 }), 1000), { ...doubleFactories(), ...s }, { signal: new AbortController().signal, prices });
    // Two of the first configuration's episodes errored (the provider, not the agent): task 1, both trials.
    const errored = Object.values(rec.results).filter((r) => r.configIndex === 0 && r.taskIndex === 1);
    expect(errored).toHaveLength(2);
    const messages = ['Rate limited by the provider. HTTP 429: slow down', 'Could not reach the provider (Failed to fetch).'];
    errored.forEach((r, i) => Object.assign(r, { outcome: 'error', reward: 0, error: messages[i] }));
    const [alone, critic] = configurationResults(rec, prices);
    expect(alone?.errors).toBe(2);
    expect(alone?.errorReasons.map((g) => [g.reason, g.count])).toEqual([['quota', 1], ['network', 1]]);
    // As tau-bench counts them: task 1 failed both trials.
    expect(alone?.passK?.passK.map((p) => p.value)).toEqual([0.5, 0.5]);
    // Without the errors: only task 0 is scored.
    expect(alone?.passKWithoutErrors?.passK.map((p) => p.value)).toEqual([1, 1]);
    expect(alone?.tasksWithErrors).toBe(1);
    expect(critic?.errorReasons).toEqual([]);
    expect(critic?.passKWithoutErrors).toEqual(critic?.passK);
  });

  it('runs every slot, persists traces and the run, and scores pass^k per configuration', async () => {
    const s = stores();
    // task 1 fails on its first two episodes (= trial 0 of both configurations)
    const f = doubleFactories({ fails: (task, nth) => task === 1 && nth < 2 });
    const progress: BenchProgress[] = [];
    const rec = await runBenchmark(newRunRecord(spec({ concurrency: 3 }), 1000), { ...f, ...s }, {
      signal: new AbortController().signal,
      prices,
      onProgress: (p) => progress.push(p),
    });
    expect(rec.status).toBe('done');
    expect(Object.keys(rec.results)).toHaveLength(8);
    expect(f.envsCreated).toHaveLength(8);
    expect(f.critics).toHaveLength(1); // one critic per configuration, reused

    const stored = await s.runs.get('run1');
    expect(stored?.status).toBe('done');
    expect(Object.keys(stored?.results ?? {})).toHaveLength(8);
    const trace = await s.traces.get('run1/c1-t0-r1');
    expect(trace?.status).toBe('done');
    expect(trace?.meta).toMatchObject({ runId: 'run1', trial: 1, taskIndex: 0, configLabel: 'critic', mode: 'intervene' });

    const [alone, critic] = configurationResults(rec, prices);
    // task 0: 2/2, task 1: 1/2 -> pass^1 = 0.75, pass^2 = 0.5
    expect(alone?.passK?.passK.map((p) => p.value)).toEqual([0.75, 0.5]);
    expect(critic?.passK?.passK.map((p) => p.value)).toEqual([0.75, 0.5]);
    expect(alone?.complete).toBe(true);
    // agent: 2 calls x (100+10); user: 2 calls x (50+5); per episode, 4 episodes
    expect(alone?.promptTokens).toBe(4 * (200 + 100));
    expect(critic?.meanCriticCallMs).toBe(3);
    // gpt-4o priced; the local critic costs nothing
    expect(critic?.cost.usd).toBeCloseTo((4 * 300 * 2.5 + 4 * 30 * 10) / 1e6, 10);

    const last = progress.at(-1);
    expect(last).toMatchObject({ total: 8, done: 8, running: 0, etaMs: 0 });
    expect(progress.some((p) => p.running > 1)).toBe(true);
    expect(Math.max(...progress.map((p) => p.running))).toBeLessThanOrEqual(3);
  });

  it('reports the cost as unknown, not 0, for a model without a price', async () => {
    const s = stores();
    const f = doubleFactories();
    const rec = await runBenchmark(
      newRunRecord(spec({ actor: { engine: 'openai-compatible', model: 'my-vllm-model' }, trials: 1, taskIndices: [0] }), 0),
      { ...f, ...s },
      { signal: new AbortController().signal, prices },
    );
    const [alone] = configurationResults(rec, prices);
    expect(alone?.cost.usd).toBeUndefined();
    expect(alone?.cost.unknownModels).toEqual(['my-vllm-model']);
  });

  it('resumes an interrupted run by running only the missing slots', async () => {
    const s = stores();
    const first = doubleFactories();
    const ac = new AbortController();
    let finished = 0;
    const partial = await runBenchmark(newRunRecord(spec(), 0), { ...first, ...s }, {
      signal: ac.signal,
      prices,
      onSlotDone: () => {
        if (++finished === 3) ac.abort();
      },
    });
    expect(partial.status).toBe('cancelled');
    expect(Object.keys(partial.results)).toHaveLength(3);

    // As after a reload: read the record back from storage.
    const stored = await s.runs.get('run1');
    if (!stored) throw new Error('run not persisted');
    expect(Object.keys(stored.results).sort()).toEqual(Object.keys(partial.results).sort());
    const missing = pendingSlots(stored).map((x) => x.key);
    expect(missing).toHaveLength(5);

    const second = doubleFactories();
    const ran: string[] = [];
    const done = await runBenchmark(stored, { ...second, ...s }, {
      signal: new AbortController().signal,
      prices,
      onSlotDone: (slot) => ran.push(slot.key),
    });
    expect(ran).toEqual(missing);
    expect(second.envsCreated).toHaveLength(5);
    expect(done.status).toBe('done');
    expect(Object.keys(done.results)).toHaveLength(8);
    // finished results survive untouched
    for (const [k, v] of Object.entries(stored.results)) expect(done.results[k]).toEqual(v);
  });

  it('cancels in-flight episodes without recording them, and resumes them later', async () => {
    const s = stores();
    let hang = true;
    const agent = new ScriptedAgentDouble({ hang: () => hang });
    const f = doubleFactories({ agent });
    const ac = new AbortController();
    const running = runBenchmark(newRunRecord(spec({ concurrency: 2 }), 0), { ...f, ...s }, {
      signal: ac.signal,
      prices,
      onProgress: (p) => {
        if (p.running === 2) setTimeout(() => ac.abort(), 10);
      },
    });
    const rec = await running;
    expect(rec.status).toBe('cancelled');
    expect(Object.keys(rec.results)).toHaveLength(0);
    expect(f.envsCreated).toHaveLength(2); // no new slot started after cancel
    expect((await s.traces.get('run1/c0-t0-r0'))?.status).toBe('aborted');

    hang = false;
    const resumed = await runBenchmark(rec, { ...doubleFactories(), ...s }, { signal: new AbortController().signal, prices });
    expect(resumed.status).toBe('done');
    expect((await s.traces.get('run1/c0-t0-r0'))?.status).toBe('done');
  });

  it('stops a run whose episodes keep failing, and retries them on request', async () => {
    const s = stores();
    const broken = doubleFactories();
    broken.buildActor = (_spec, role) => ({
      label: role,
      propose: () => Promise.reject(new Error('401 bad key')),
    });
    const rec = await runBenchmark(newRunRecord(spec(), 0), { ...broken, ...s }, {
      signal: new AbortController().signal,
      prices,
      maxConsecutiveErrors: 2,
    });
    expect(rec.status).toBe('error');
    expect(rec.error).toContain('401 bad key');
    expect(Object.keys(rec.results)).toHaveLength(2);
    expect(Object.values(rec.results).every((r) => r.outcome === 'error' && r.reward === 0)).toBe(true);
    expect(pendingSlots(rec)).toHaveLength(6);
    expect(pendingSlots(rec, true)).toHaveLength(8);

    const fixed = await runBenchmark(rec, { ...doubleFactories(), ...s }, { signal: new AbortController().signal, prices, retryErrors: true });
    expect(fixed.status).toBe('done');
    expect(Object.values(fixed.results).every((r) => r.outcome === 'done')).toBe(true);
  });

  it('ends the run with an error when a factory fails', async () => {
    const s = stores();
    const f = doubleFactories();
    f.createEnv = () => {
      throw new Error('retail/tasks_test.json: missing');
    };
    const rec = await runBenchmark(newRunRecord(spec(), 0), { ...f, ...s }, { signal: new AbortController().signal, prices });
    expect(rec.status).toBe('error');
    expect(rec.error).toContain('tasks_test.json');
    expect(Object.keys(rec.results)).toHaveLength(0);
  });

  it('spends no episode when the run cannot start', async () => {
    const s = stores();
    const f = doubleFactories();
    const rec = await runBenchmark(newRunRecord(spec(), 0), { ...f, ...s, prepare: () => Promise.reject(new Error('retail/tasks_test.json: no task 1')) }, {
      signal: new AbortController().signal,
      prices,
    });
    expect(rec.status).toBe('error');
    expect(rec.error).toContain('no task 1');
    expect(f.envsCreated).toHaveLength(0);
    expect((await s.runs.get('run1'))?.status).toBe('error');
  });

  it('counts critic revisions', async () => {
    const s = stores();
    const f = doubleFactories({ strictCritic: true });
    const rec = await runBenchmark(newRunRecord(spec({ trials: 1, taskIndices: [0] }), 0), { ...f, ...s }, {
      signal: new AbortController().signal,
      prices,
    });
    const [alone, critic] = configurationResults(rec, prices);
    expect(alone?.revisions).toBe(0);
    expect(critic?.revisions).toBe(1);
    expect(critic?.passK?.passK[0]?.value).toBe(1);
  });
});
