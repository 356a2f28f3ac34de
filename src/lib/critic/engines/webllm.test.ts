/**
 * web-llm cannot download or run a model here (no network, no real GPU). Its
 * own worker handler and client run for real over a MessageChannel; only the
 * MLC engine behind the worker boundary is a double (MLCEngineDouble).
 */
import { describe, expect, it } from 'vitest';
import { EngineCritic } from '../engine-critic.ts';
import type { CriticInput } from '../types.ts';
import { VERDICT_JSON_SCHEMA } from '../verdict.ts';
import type { EngineProgress } from './types.ts';
import { WebLLMEngine } from './webllm.ts';
import { ModelStorageDouble, newScript, workerFactory } from './webllm-double.ts';

const MODEL = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const input: CriticInput = { policy: 'p', tools: [], history: [{ role: 'user', content: 'hi' }], proposal: { kind: 'message', content: 'hello' }, previousAttempts: [] };

describe('WebLLMEngine through web-llm’s worker protocol (MLC engine doubled)', () => {
  it('loads with progress and the cache backend, and judges with the verdict schema as XGrammar json_object', async () => {
    const script = newScript();
    const { create } = workerFactory(script);
    const engine = new WebLLMEngine({ model: MODEL, cacheBackend: 'indexeddb', createWorker: create, storage: new ModelStorageDouble() });
    const progress: EngineProgress[] = [];
    const info = await engine.load((p) => progress.push(p));
    expect(info).toMatchObject({ engine: 'webllm', model: MODEL, device: 'webgpu' });
    expect(progress.map((p) => p.fraction)).toEqual([0, 0.5, 1, 1]);
    expect(progress[1]?.text).toContain('Fetching param cache');
    expect(script.appConfigs[0]?.cacheBackend).toBe('indexeddb');
    const critic = new EngineCritic(engine);
    const v = await critic.judge(input, new AbortController().signal);
    expect(v).toMatchObject({ decision: 'approve', critic: `webllm:${MODEL}`, usage: { promptTokens: 321, completionTokens: 6 } });
    const req = script.requests[0];
    expect(req?.response_format).toEqual({ type: 'json_object', schema: JSON.stringify(VERDICT_JSON_SCHEMA) });
    expect(req?.temperature).toBe(0);
    expect(req?.messages[0]?.role).toBe('system');
  });

  it('recovers from a failed download by clearing the model’s cache entries and retrying once', async () => {
    const script = newScript({ reloads: ['fetch-fails', 'ok'] });
    const { create, made } = workerFactory(script);
    const storage = new ModelStorageDouble();
    const engine = new WebLLMEngine({ model: MODEL, createWorker: create, storage });
    const texts: string[] = [];
    const info = await engine.load((p) => texts.push(p.text));
    expect(storage.deleted).toEqual([MODEL]);
    expect(texts.some((t) => /clearing cached files and retrying/.test(t))).toBe(true);
    expect(info.attempts).toHaveLength(2);
    expect(made[0]?.terminated).toBe(true);
    expect(made).toHaveLength(2);
  });

  it('gives up after a second failed download with load-failed', async () => {
    const { create } = workerFactory(newScript({ reloads: ['fetch-fails', 'fetch-fails'] }));
    const engine = new WebLLMEngine({ model: MODEL, createWorker: create, storage: new ModelStorageDouble() });
    await expect(engine.load(() => {})).rejects.toMatchObject({ code: 'load-failed' });
  });

  it('reports no WebGPU without retrying, and shader-f16 as a permanent load failure', async () => {
    const storage = new ModelStorageDouble();
    const a = workerFactory(newScript({ reloads: ['no-webgpu'] }));
    await expect(new WebLLMEngine({ model: MODEL, createWorker: a.create, storage }).load(() => {})).rejects.toMatchObject({ code: 'no-webgpu' });
    expect(a.made).toHaveLength(1);
    const b = workerFactory(newScript({ reloads: ['shader-f16'] }));
    await expect(new WebLLMEngine({ model: MODEL, createWorker: b.create, storage }).load(() => {})).rejects.toMatchObject({ code: 'load-failed' });
    expect(b.made).toHaveLength(1);
    expect(storage.deleted).toEqual([]);
  });

  it('turns out-of-memory and device loss during generation into oom / device-lost', async () => {
    for (const [completion, code] of [['oom', 'oom'], ['device-lost', 'device-lost']] as const) {
      const { create } = workerFactory(newScript({ completion }));
      const engine = new WebLLMEngine({ model: MODEL, createWorker: create, storage: new ModelStorageDouble() });
      await engine.load(() => {});
      await expect(engine.generate({ system: 's', user: 'u' }, new AbortController().signal)).rejects.toMatchObject({ name: 'EngineError', code });
    }
  });

  it('interrupts generation on abort, and rejects with worker-died when the worker crashes', async () => {
    const script = newScript({ completion: 'hang' });
    const { create, made } = workerFactory(script);
    const engine = new WebLLMEngine({ model: MODEL, createWorker: create, storage: new ModelStorageDouble() });
    await engine.load(() => {});
    const ctrl = new AbortController();
    const p = engine.generate({ system: 's', user: 'u' }, ctrl.signal);
    setTimeout(() => ctrl.abort(), 10);
    await expect(p).rejects.toMatchObject({ code: 'aborted' });
    expect(script.interrupted).toBe(1);
    const q = engine.generate({ system: 's', user: 'u' }, new AbortController().signal);
    setTimeout(() => made[0]?.crash(), 10);
    await expect(q).rejects.toMatchObject({ code: 'worker-died' });
  });

  it('deletes the cached model and reports the storage freed', async () => {
    const { create, made } = workerFactory(newScript());
    const storage = new ModelStorageDouble();
    const engine = new WebLLMEngine({ model: MODEL, createWorker: create, storage });
    await engine.load(() => {});
    expect(await engine.isCached()).toBe(true);
    expect(await engine.deleteCacheWithReport()).toEqual({ usageBefore: 900_000_000, usageAfter: 100_000_000, freedBytes: 800_000_000 });
    expect(await engine.isCached()).toBe(false);
    expect(made[0]?.terminated).toBe(true);
  });

  it('registers a custom model (weights URL + model library URL) in the app config', () => {
    const engine = new WebLLMEngine({
      model: 'my-critic-q4f32_1-MLC',
      custom: { modelUrl: 'https://models.example/my-critic/', modelLibUrl: 'https://models.example/qwen2-q4f32_1.wasm', vramMB: 1200 },
      createWorker: () => workerFactory(newScript()).create(),
    });
    const rec = engine.appConfig.model_list.find((m) => m.model_id === 'my-critic-q4f32_1-MLC');
    expect(rec).toEqual({ model: 'https://models.example/my-critic/', model_id: 'my-critic-q4f32_1-MLC', model_lib: 'https://models.example/qwen2-q4f32_1.wasm', vram_required_MB: 1200 });
    expect(engine.appConfig.cacheBackend).toBe('cache');
  });
});
