/**
 * web-llm cannot download or run a model here (no network, no real GPU). Its
 * own worker handler and client run for real over a MessageChannel; only the
 * MLC engine behind the worker boundary is a double (MLCEngineDouble).
 */
import { MessageChannel } from 'node:worker_threads';
import {
  MLCEngine,
  WebWorkerMLCEngineHandler,
  type AppConfig,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequestBase,
  type ChatCompletionRequestNonStreaming,
  type ChatCompletionRequestStreaming,
} from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { EngineCritic } from '../engine-critic.ts';
import type { CriticInput } from '../types.ts';
import { VERDICT_JSON_SCHEMA } from '../verdict.ts';
import type { EngineProgress } from './types.ts';
import { WebLLMEngine, type MLCWorkerLike, type WebLLMStorage } from './webllm.ts';

interface Script {
  /** What each reload does, in order (shared across workers: a retry starts a new worker). */
  reloads: Array<'ok' | 'fetch-fails' | 'no-webgpu' | 'shader-f16'>;
  completion: 'approve' | 'oom' | 'device-lost' | 'hang';
  requests: ChatCompletionRequestBase[];
  appConfigs: AppConfig[];
  interrupted: number;
}

/** Stands in for the MLC engine (WebGPU + downloaded weights), behind the worker boundary only. */
class MLCEngineDouble extends MLCEngine {
  #release: (() => void) | undefined;
  constructor(private readonly script: Script) {
    super();
  }
  override setAppConfig(appConfig: AppConfig): void {
    this.script.appConfigs.push(appConfig);
  }
  override async reload(modelId: string | string[]): Promise<void> {
    const step = this.script.reloads.shift() ?? 'ok';
    const report = this.getInitProgressCallback();
    if (step === 'no-webgpu') throw new Error('WebGPU is not supported in your current environment, but it is necessary to run the WebLLM engine.');
    if (step === 'shader-f16') throw new Error('This model requires WebGPU extension shader-f16, which is not enabled in this browser.');
    for (const p of [0, 0.5]) report?.({ progress: p, timeElapsed: p, text: `Fetching param cache[${p * 10}/10] of ${String(modelId)}` });
    if (step === 'fetch-fails') throw new Error('TypeError: Failed to fetch');
    report?.({ progress: 1, timeElapsed: 1, text: 'Finish loading on WebGPU' });
  }
  override chatCompletion(request: ChatCompletionRequestNonStreaming): Promise<ChatCompletion>;
  override chatCompletion(request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>>;
  override chatCompletion(request: ChatCompletionRequestBase): Promise<AsyncIterable<ChatCompletionChunk> | ChatCompletion>;
  override async chatCompletion(request: ChatCompletionRequestBase): Promise<AsyncIterable<ChatCompletionChunk> | ChatCompletion> {
    this.script.requests.push(structuredClone(request));
    if (this.script.completion === 'oom') throw new Error('GPUOutOfMemoryError: Failed to allocate a buffer of 2147483648 bytes');
    if (this.script.completion === 'device-lost') throw new Error('Device was lost. This can happen due to insufficient memory or other GPU constraints.');
    if (this.script.completion === 'hang') await new Promise<void>((r) => (this.#release = r));
    return {
      id: 'c1',
      object: 'chat.completion',
      created: 0,
      model: 'double',
      choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: '{"decision": "approve"}' } }],
      usage: { prompt_tokens: 321, completion_tokens: 6, total_tokens: 327, extra: { e2e_latency_s: 0, prefill_tokens_per_s: 0, decode_tokens_per_s: 0, time_to_first_token_s: 0, time_per_output_token_s: 0 } },
    };
  }
  override async interruptGenerate(): Promise<void> {
    this.script.interrupted++;
    this.#release?.();
  }
  override async unload(): Promise<void> {}
}

/** A real MessageChannel with web-llm's real handler on the far side, as in src/workers/webllm.worker.ts. */
function workerFactory(script: Script) {
  const made: Array<MLCWorkerLike & { crash(): void; terminated: boolean }> = [];
  const create = () => {
    const { port1, port2 } = new MessageChannel();
    const handler = new WebWorkerMLCEngineHandler();
    const double = new MLCEngineDouble(script);
    handler.engine = double;
    double.setInitProgressCallback((content) => handler.postMessage({ kind: 'initProgressCallback', uuid: '', content }));
    handler.postMessage = (m: unknown) => port2.postMessage(m);
    port2.on('message', (d: unknown) => handler.onmessage(d));
    const errors = new EventTarget();
    const w = {
      onmessage: undefined as unknown,
      terminated: false,
      postMessage: (m: unknown) => port1.postMessage(m),
      addEventListener: (t: 'error' | 'messageerror', l: (e: Event) => void) => errors.addEventListener(t, l),
      terminate: () => {
        w.terminated = true;
        port1.close();
        port2.close();
      },
      crash: () => errors.dispatchEvent(new Event('error')),
    };
    port1.on('message', (d: unknown) => {
      if (typeof w.onmessage === 'function') w.onmessage(d);
    });
    made.push(w);
    return w;
  };
  return { create, made };
}

/** Stands in for the Cache API / IndexedDB, which Node lacks. */
class ModelStorageDouble implements WebLLMStorage {
  usage = 900_000_000;
  deleted: string[] = [];
  async deleteModel(id: string): Promise<void> {
    this.deleted.push(id);
    this.usage = 100_000_000;
  }
  async hasModel(id: string): Promise<boolean> {
    return !this.deleted.includes(id);
  }
  async estimate() {
    return { usage: this.usage, quota: 10_000_000_000 };
  }
}

const newScript = (over: Partial<Script> = {}): Script => ({ reloads: [], completion: 'approve', requests: [], appConfigs: [], interrupted: 0, ...over });
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
