/**
 * Test support: web-llm cannot download or run a model under Node (no network,
 * no GPU). Its own worker handler and client run for real over a
 * MessageChannel; only the MLC engine behind the worker boundary
 * (MLCEngineDouble) and browser storage (ModelStorageDouble) are doubles.
 *
 * The double keeps web-llm's limits (llm_chat.ts, engine.ts, 0.2.86): it is
 * loaded with a context window (chat option `context_window_size`, default
 * 4,096), counts every prompt with its tokenizer (ByteTokenizerDouble: one
 * token per UTF-8 byte of a ChatML rendering), continues a chat only when the
 * request repeats the previous one plus its reply (then only the new turn is
 * prefilled and the cached tokens still count), and throws web-llm's
 * ContextWindowSizeExceededError, with its message, when prompt plus cache
 * pass the window.
 */
import { MessageChannel } from 'node:worker_threads';
import {
  MLCEngine,
  type AppConfig,
  type ChatOptions,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequestBase,
  type ChatCompletionRequestNonStreaming,
  type ChatCompletionRequestStreaming,
} from '@mlc-ai/web-llm';
import type { MLCWorkerLike, WebLLMStorage } from '../../src/lib/engines/webllm.ts';
import { CountingWebLLMHandler } from '../../src/lib/engines/webllm-tokens.ts';

/** web-llm's error.ts ContextWindowSizeExceededError, same name and message (web-llm does not export the class). */
export class ContextWindowSizeExceededErrorDouble extends Error {
  constructor(numPromptTokens: number, contextWindowSize: number) {
    super(
      `Prompt tokens exceed context window size: number of prompt tokens: ${numPromptTokens}; ` +
        `context window size: ${contextWindowSize}\nConsider shortening the prompt, or increase ` +
        '`context_window_size`, or using sliding window via `sliding_window_size`.',
    );
    this.name = 'ContextWindowSizeExceededError';
  }
}

/** Stands in for the model's tokenizer: one token per UTF-8 byte (as the tiny test model's byte-level BPE). */
export class ByteTokenizerDouble {
  encode(text: string): Int32Array {
    return Int32Array.from(new TextEncoder().encode(text));
  }
}

const WEBLLM_DEFAULT_WINDOW = 4096;

export interface Script {
  /** What each reload does, in order (shared across workers: a retry starts a new worker). */
  reloads: Array<'ok' | 'fetch-fails' | 'no-webgpu' | 'shader-f16'>;
  completion: 'approve' | 'oom' | 'device-lost' | 'hang';
  requests: ChatCompletionRequestBase[];
  appConfigs: AppConfig[];
  /** The context_window_size of each reload. */
  windows: number[];
  interrupted: number;
  /** What the model answers; a verdict by default. */
  content?: string;
}

/** Stands in for the MLC engine (WebGPU + downloaded weights), behind the worker boundary only. */
export class MLCEngineDouble extends MLCEngine {
  #release: (() => void) | undefined;
  #window = WEBLLM_DEFAULT_WINDOW;
  readonly #tokenizer = new ByteTokenizerDouble();
  /** The chat the KV cache holds (messages plus the reply) and its token count, as web-llm's pipeline keeps them. */
  #cached: { messages: string; tokens: number } | undefined;
  constructor(private readonly script: Script) {
    super();
  }
  override setAppConfig(appConfig: AppConfig): void {
    this.script.appConfigs.push(appConfig);
  }
  override async reload(modelId: string | string[], chatOpts?: ChatOptions | ChatOptions[]): Promise<void> {
    const step = this.script.reloads.shift() ?? 'ok';
    const opts = Array.isArray(chatOpts) ? chatOpts[0] : chatOpts;
    this.#window = opts?.context_window_size ?? WEBLLM_DEFAULT_WINDOW;
    this.script.windows.push(this.#window);
    this.#cached = undefined;
    const report = this.getInitProgressCallback();
    if (step === 'no-webgpu') throw new Error('WebGPU is not supported in your current environment, but it is necessary to run the WebLLM engine.');
    if (step === 'shader-f16') throw new Error('This model requires WebGPU extension shader-f16, which is not enabled in this browser.');
    for (const p of [0, 0.5]) report?.({ progress: p, timeElapsed: p, text: `Fetching param cache[${p * 10}/10] of ${String(modelId)}` });
    if (step === 'fetch-fails') throw new Error('TypeError: Failed to fetch');
    report?.({ progress: 1, timeElapsed: 1, text: 'Finish loading on WebGPU' });
    // Where web-llm keeps the loaded pipeline and its tokenizer (read by webllm-tokens.ts).
    Reflect.set(this, 'loadedModelIdToPipeline', new Map([[String(modelId), { tokenizer: this.#tokenizer }]]));
  }

  #tokens(messages: readonly ChatTurn[]): number {
    return messages.reduce((n, m) => n + this.#tokenizer.encode(`<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).length, 0);
  }
  override chatCompletion(request: ChatCompletionRequestNonStreaming): Promise<ChatCompletion>;
  override chatCompletion(request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>>;
  override chatCompletion(request: ChatCompletionRequestBase): Promise<AsyncIterable<ChatCompletionChunk> | ChatCompletion>;
  override async chatCompletion(request: ChatCompletionRequestBase): Promise<AsyncIterable<ChatCompletionChunk> | ChatCompletion> {
    this.script.requests.push(structuredClone(request));
    const messages = request.messages.map((m) => ({ role: m.role, content: typeof m.content === 'string' ? m.content : '' }));
    const header = this.#tokenizer.encode('<|im_start|>assistant\n').length;
    // Multi-round reuse exactly when messages[:-1] is the cached chat (see webllm.ts); otherwise resetChat.
    const reuse = this.#cached !== undefined && this.#cached.messages === JSON.stringify(messages.slice(0, -1));
    const filled = reuse ? (this.#cached?.tokens ?? 0) : 0;
    const prompt = (reuse ? this.#tokens(messages.slice(-1)) : this.#tokens(messages)) + header;
    if (!reuse) this.#cached = undefined;
    if (prompt + filled > this.#window) throw new ContextWindowSizeExceededErrorDouble(prompt, this.#window);
    if (this.script.completion === 'oom') throw new Error('GPUOutOfMemoryError: Failed to allocate a buffer of 2147483648 bytes');
    if (this.script.completion === 'device-lost') throw new Error('Device was lost. This can happen due to insufficient memory or other GPU constraints.');
    if (this.script.completion === 'hang') await new Promise<void>((r) => (this.#release = r));
    const content = this.script.content ?? '{"decision": "approve"}';
    const completion = this.#tokenizer.encode(content).length;
    this.#cached = { messages: JSON.stringify([...messages, { role: 'assistant', content }]), tokens: filled + prompt + completion };
    return {
      id: 'c1',
      object: 'chat.completion',
      created: 0,
      model: 'double',
      choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content } }],
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, extra: { e2e_latency_s: 0, prefill_tokens_per_s: 0, decode_tokens_per_s: 0, time_to_first_token_s: 0, time_per_output_token_s: 0 } },
    };
  }
  override async interruptGenerate(): Promise<void> {
    this.script.interrupted++;
    this.#release?.();
  }
  override async resetChat(): Promise<void> {
    this.#cached = undefined;
  }
  override async unload(): Promise<void> {}
}

/** A real MessageChannel with web-llm's real handler on the far side, as in src/workers/webllm.worker.ts. */
export function workerFactory(script: Script) {
  const made: Array<MLCWorkerLike & { crash(): void; terminated: boolean }> = [];
  const create = () => {
    const { port1, port2 } = new MessageChannel();
    const handler = new CountingWebLLMHandler();
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
export class ModelStorageDouble implements WebLLMStorage {
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

export const newScript = (over: Partial<Script> = {}): Script => ({ reloads: [], completion: 'approve', requests: [], appConfigs: [], windows: [], interrupted: 0, ...over });

interface ChatTurn {
  role: string;
  content: string;
}
