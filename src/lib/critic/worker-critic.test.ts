import { resolve } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModels } from '../../../scripts/make-tiny-model.ts';
import { EngineError } from '../errors.ts';
import type { LoopEvent } from '../loop/events.ts';
import { runEpisode } from '../loop/run-episode.ts';
import { ScriptedActorDouble, ScriptedUserDouble } from '../../../tests/doubles/scripted-doubles.ts';
import type { Env } from '../envs/env-interface.ts';
import { TransformersEngine } from '../engines/transformers.ts';
import type { CriticEngine, EngineLoadInfo, GenerateResult } from '../engines/engine-interface.ts';
import type { CriticInput } from './critic-interface.ts';
import { CriticWorkerHandler, type HandlerDeps } from './worker-handler.ts';
import { WorkerCritic, type WorkerEndpoint } from './worker-critic.ts';
import type { TransformersConfig } from '../engines/transformers-options.ts';

const MODELS = `${resolve(import.meta.dirname, '../../../.fixtures/models')}/`;
const ports: MessagePort[] = [];

beforeAll(() => {
  makeTinyModels();
});
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

/** Worker-side handler and main-side critic joined by a real MessageChannel (structured clone included), as a Worker would be. */
function connect(deps: Partial<HandlerDeps> = {}): { critic: WorkerCritic; workerSide: MessagePort; mainSide: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const handler = new CriticWorkerHandler({
    createEngine: (c) => new TransformersEngine({ ...c, localModelPath: MODELS }),
    post: (m) => port2.postMessage(m),
    ...deps,
  });
  port2.on('message', (data: unknown) => void handler.handle(data));
  const endpoint: WorkerEndpoint = port1;
  return { critic: new WorkerCritic(endpoint), workerSide: port2, mainSide: port1 };
}

const input: CriticInput = {
  policy: 'Verify the user before any change.',
  tools: [{ type: 'function', function: { name: 'get_user', parameters: { type: 'object' } } }],
  history: [{ role: 'user', content: 'Cancel my booking' }],
  proposal: { kind: 'message', content: 'May I have your user id?' },
  previousAttempts: [],
};

/** Stands in for what cannot happen here: a GPU engine failing with OOM / device loss / a slow decode. */
class FailingEngineDouble implements CriticEngine {
  readonly kind = 'transformers' as const;
  readonly model = 'double';
  readonly label = 'failing-double';
  constructor(private readonly failure: 'oom' | 'device-lost' | 'no-webgpu' | 'slow') {}
  async load(): Promise<EngineLoadInfo> {
    if (this.failure === 'no-webgpu') throw new Error('WebGPU is not supported in your current environment');
    return { engine: 'transformers', model: 'double', device: 'webgpu', attempts: [], loadMs: 0, kvReuse: false };
  }
  async generate(_req: unknown, signal: AbortSignal): Promise<GenerateResult> {
    if (this.failure === 'oom') throw new Error('GPUOutOfMemoryError: failed to allocate buffer');
    if (this.failure === 'device-lost') throw new Error('The WebGPU device was lost while running');
    await new Promise((r, j) => signal.addEventListener('abort', () => j(new Error('aborted')), { once: true }));
    throw new Error('unreachable');
  }
  async resetCache() {}
  async unload() {}
}

describe('WorkerCritic ↔ CriticWorkerHandler over a MessageChannel', () => {
  it('loads the tiny model with progress and judges with a valid verdict and prefill stats', async () => {
    const { critic } = connect();
    const stages: string[] = [];
    const info = await critic.load({ engine: 'transformers', model: 'tiny-critic-kv', dtype: 'fp32' }, (p) => stages.push(p.stage));
    expect(info.device).toBe('cpu');
    expect(stages).toContain('ready');
    expect(critic.label).toBe('transformers:tiny-critic-kv');
    const v = await critic.judge(input, new AbortController().signal);
    expect(v).toMatchObject({ decision: 'approve', critic: 'transformers:tiny-critic-kv', raw: '{"decision": "approve"}' });
    expect(v.usage?.promptTokens).toBeGreaterThan(100);
    expect(critic.lastStats?.reusedTokens).toBe(0);
    await critic.judge({ ...input, history: [...input.history, { role: 'assistant', content: 'Sure.' }] }, new AbortController().signal);
    expect(critic.lastStats?.reusedTokens).toBeGreaterThan(100);
  });

  it('records unparsed verdicts from a model that writes no JSON', async () => {
    const { critic } = connect();
    await critic.load({ engine: 'transformers', model: 'tiny-critic-babble', dtype: 'fp32', maxNewTokens: 12 });
    const v = await critic.judge(input, new AbortController().signal);
    expect(v.decision).toBe('unparsed');
    expect(v.error).toMatch(/No JSON/);
    expect(v.raw).toHaveLength(12);
  });

  it('rejects a judge before load with an engine error rebuilt from the wire', async () => {
    const { critic } = connect();
    await expect(critic.judge(input, new AbortController().signal)).rejects.toMatchObject({ name: 'EngineError', code: 'engine' });
  });

  it('classifies OOM, device loss and missing WebGPU into stable codes', async () => {
    for (const [failure, code] of [['oom', 'oom'], ['device-lost', 'device-lost']] as const) {
      const { critic } = connect({ createEngine: () => new FailingEngineDouble(failure) });
      await critic.load({ engine: 'transformers', model: 'x' });
      const err = await critic.judge(input, new AbortController().signal).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect(err).toMatchObject({ code });
    }
    const { critic } = connect({ createEngine: () => new FailingEngineDouble('no-webgpu') });
    await expect(critic.load({ engine: 'transformers', model: 'x' })).rejects.toMatchObject({ code: 'no-webgpu' });
  });

  it('cancels a running judge when the signal aborts, and the worker stays usable', async () => {
    let engines = 0;
    const { critic } = connect({
      createEngine: (c) => (engines++ === 0 ? new FailingEngineDouble('slow') : new TransformersEngine({ ...c, localModelPath: MODELS })),
    });
    await critic.load({ engine: 'transformers', model: 'x' });
    const ctrl = new AbortController();
    const pending = critic.judge(input, ctrl.signal);
    setTimeout(() => ctrl.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    await critic.load({ engine: 'transformers', model: 'tiny-critic', dtype: 'fp32' });
    expect((await critic.judge(input, new AbortController().signal)).decision).toBe('approve');
  });

  it('rejects every pending request with worker-died when the worker errors, and later calls at once', async () => {
    const { critic, mainSide } = connect({ createEngine: () => new FailingEngineDouble('slow') });
    await critic.load({ engine: 'transformers', model: 'x' });
    const a = critic.judge(input, new AbortController().signal);
    const b = critic.judge(input, new AbortController().signal);
    mainSide.dispatchEvent(new Event('error'));
    await expect(a).rejects.toMatchObject({ code: 'worker-died' });
    await expect(b).rejects.toMatchObject({ code: 'worker-died' });
    expect(critic.dead).toBe(true);
    await expect(critic.unload()).rejects.toMatchObject({ code: 'worker-died' });
  });

  it('answers malformed requests with a validation error', async () => {
    const { mainSide } = connect();
    const reply = new Promise<unknown>((r) => mainSide.once('message', r));
    mainSide.postMessage({ id: 'x1', type: 'judge', input: { policy: 3 } });
    expect(await reply).toMatchObject({ id: 'x1', type: 'error', error: { code: 'validation' } });
  });

  it('deletes the model cache and reports storage before/after', async () => {
    let usage = 5000;
    const deleted: TransformersConfig[] = [];
    const { critic } = connect({
      estimateStorage: async () => ({ usage }),
      deleteModelFiles: async (c) => {
        deleted.push(c);
        usage = 1000;
        return 4;
      },
    });
    await expect(critic.deleteCache()).rejects.toMatchObject({ code: 'engine' });
    // A model that was never loaded (e.g. a broken download) can still be deleted by naming it.
    expect(await critic.deleteCache({ engine: 'transformers', model: 'other' })).toMatchObject({ deletedEntries: 4 });
    usage = 5000;
    await critic.load({ engine: 'transformers', model: 'tiny-critic', dtype: 'fp32' });
    expect(await critic.deleteCache()).toEqual({ deletedEntries: 4, usageBefore: 5000, usageAfter: 1000 });
    expect(deleted.map((c) => c.model)).toEqual(['other', 'tiny-critic']);
    // The engine was unloaded with its files.
    await expect(critic.judge(input, new AbortController().signal)).rejects.toMatchObject({ code: 'engine' });
  });
});

describe('an episode of the core loop with the in-browser critic', () => {
  const env: Env = {
    id: 'test-env',
    policy: 'Verify the user before any change.',
    tools: [{ type: 'function', function: { name: 'get_user', description: 'Look up a user', parameters: { type: 'object' } } }],
    execute: (call) => ({ observation: `user ${String(call.arguments.id)} found` }),
  };

  async function episode(model: string): Promise<LoopEvent[]> {
    const { critic } = connect();
    await critic.load({ engine: 'transformers', model, dtype: 'fp32', maxNewTokens: 16 });
    const actor = new ScriptedActorDouble([
      { kind: 'message', content: 'May I have your user id?' },
      { kind: 'tool_call', call: { id: 't1', name: 'get_user', arguments: { id: 'u1' } } },
      { kind: 'message', content: 'Found you. Done.' },
      { kind: 'message', content: 'Found you. Done (revised).' },
      { kind: 'message', content: 'Found you. Done (revised twice).' },
      { kind: 'message', content: 'spare' },
    ]);
    const user = new ScriptedUserDouble(['Cancel my booking', 'u1']);
    const events: LoopEvent[] = [];
    for await (const e of runEpisode(
      { episodeId: 'e1', env, user, actor, critic, mode: 'intervene', maxRevisions: 2, failureRule: 'fail-open', maxSteps: 10, criticTimeoutMs: 20_000, meta: { environment: { family: 'policy-chat' } } },
      new AbortController().signal,
    )) {
      events.push(e);
    }
    return events;
  }

  it('completes with approve verdicts from the tiny critic', async () => {
    const events = await episode('tiny-critic-kv');
    const verdicts = events.flatMap((e) => (e.type === 'verdict' ? [e.verdict] : []));
    expect(events.at(-1)).toMatchObject({ type: 'episode_end', outcome: 'done' });
    expect(verdicts.length).toBe(3);
    for (const v of verdicts) expect(v).toMatchObject({ decision: 'approve', critic: 'transformers:tiny-critic-kv' });
    expect(events.find((e) => e.type === 'episode_start')).toMatchObject({ meta: { critic: 'transformers:tiny-critic-kv' } });
  });

  it('completes with unparsed verdicts recorded (fail-open) from the babbling model', async () => {
    const events = await episode('tiny-critic-babble');
    const verdicts = events.flatMap((e) => (e.type === 'verdict' ? [e.verdict] : []));
    expect(events.at(-1)).toMatchObject({ type: 'episode_end', outcome: 'done' });
    expect(verdicts.length).toBe(3);
    for (const v of verdicts) expect(v.decision).toBe('unparsed');
  });
});
