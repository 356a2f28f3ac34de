/**
 * web-llm critic engine. The MLC engine itself runs in a Web Worker
 * (src/workers/webllm.worker.ts, web-llm's own handler); this main-thread side
 * drives it through CreateWebWorkerMLCEngine, owns the cache (delete, retry a
 * broken download) and turns web-llm's failures into stable error codes.
 *
 * KV-cache reuse (web-llm 0.2.86, read in lib/index.js): for each chat request,
 * `MLCEngine.preparePrefillInput` builds a Conversation from `messages[:-1]`
 * with `getConversationFromChatCompletionRequest` and compares it with the
 * pipeline's current one (`compareConversationObject`: same system message,
 * same number of messages, same role and content of each). When they match and
 * the previous reply finished with reason "stop" (not "abort" or "length"), it
 * logs "Multiround chatting, reuse KVCache." and `prefillStep` prefills only
 * the last round (`getPromptArrayLastRound`: the last user turn plus the reply
 * header); otherwise it calls `resetChat()` and prefills everything. The
 * pipeline's conversation after a request is that request's messages plus an
 * assistant turn holding exactly the reply text. So a request reuses the cache
 * exactly when its messages are the previous request's messages, then the
 * previous reply verbatim as an assistant turn, then one new user turn. A
 * single-turn prompt ([system, user]) never does: its messages[:-1] is empty.
 * `usage.prompt_tokens` counts only the tokens prefilled in this request
 * (`getCurRoundPrefillTotalTokens`), so it is the number of *new* tokens.
 */
import {
  CreateWebWorkerMLCEngine,
  deleteModelAllInfoInCache,
  hasModelInCache,
  prebuiltAppConfig,
  type AppConfig,
  type ModelRecord,
  type WebWorkerMLCEngine,
} from '@mlc-ai/web-llm';
import { AbortedError, ContextOverflowError, EngineError, errorFromWire, errorMessage, toWireError } from '../errors.ts';
import {
  deleteReport,
  type ChatTurn,
  type CriticEngine,
  type DeleteReport,
  type EngineLoadInfo,
  type GenerateOptions,
  type GenerateRequest,
  type GenerateResult,
  type OnDeviceEngine,
  type ProgressListener,
  type PromptStyle,
} from './engine-interface.ts';
import { criticWindowDefault, modelMaxWindow, WEBLLM_DEFAULT_WINDOW } from './webllm-models.ts';
import { COUNT_TOKENS, TokenCountsSchema, type TokenCounts } from './webllm-tokens.ts';

let countRequests = 0;

export type CacheBackend = 'cache' | 'indexeddb';

/** A model that is not in web-llm's list: e.g. a critic fine-tuned on Spotter's exported data. */
interface CustomWebLLMModel {
  /** Folder URL of the MLC weights (mlc-chat-config.json, tensor-cache.json, shards). */
  modelUrl: string;
  /** URL of the compiled model library (.wasm) matching the architecture and quantization. */
  modelLibUrl: string;
  vramMB?: number;
  needsF16?: boolean;
  /** The longest window the model supports (its max_position_embeddings); web-llm's 4,096 when absent. */
  contextWindow?: number;
}

/** The worker as web-llm's client uses it, plus what this engine needs to notice a crash. */
export interface MLCWorkerLike {
  onmessage: unknown;
  postMessage(message: unknown): void;
  addEventListener?(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate?(): void;
}

/** Browser storage operations; the defaults are web-llm's own and need the Cache API or IndexedDB. */
export interface WebLLMStorage {
  deleteModel(modelId: string, appConfig: AppConfig): Promise<void>;
  hasModel(modelId: string, appConfig: AppConfig): Promise<boolean>;
  estimate(): Promise<{ usage?: number; quota?: number }>;
}

interface WebLLMEngineOptions {
  model: string;
  custom?: CustomWebLLMModel;
  cacheBackend?: CacheBackend;
  createWorker: () => MLCWorkerLike;
  storage?: Partial<WebLLMStorage>;
  maxNewTokens?: number;
  /**
   * How WebLLMCritic lays out the critic prompt. 'incremental' (default for
   * web-llm's prebuilt models) grows one chat per episode so web-llm reuses
   * its KV cache; 'single-turn' (default for a custom model) sends
   * buildCriticPrompt's text, the format a fine-tuned critic was trained on.
   */
  promptStyle?: PromptStyle;
  /**
   * The context window to load with (web-llm's `context_window_size`), up to
   * the model's own maximum; default: criticWindowDefault(model), or
   * web-llm's 4,096 for a custom model. A small GPU takes a smaller one.
   */
  contextWindow?: number;
}

export type { PromptStyle };

const defaultStorage: WebLLMStorage = {
  deleteModel: (id, appConfig) => deleteModelAllInfoInCache(id, appConfig),
  hasModel: (id, appConfig) => hasModelInCache(id, appConfig),
  estimate: async () => (typeof navigator !== 'undefined' && navigator.storage ? navigator.storage.estimate() : {}),
};

function webllmAppConfig(model: string, custom: CustomWebLLMModel | undefined, cacheBackend: CacheBackend): AppConfig {
  const list: ModelRecord[] = [...prebuiltAppConfig.model_list];
  if (custom) {
    list.push({
      model: custom.modelUrl,
      model_id: model,
      model_lib: custom.modelLibUrl,
      ...(custom.vramMB !== undefined ? { vram_required_MB: custom.vramMB } : {}),
      ...(custom.needsF16 ? { required_features: ['shader-f16'] } : {}),
    });
  }
  return { model_list: list, cacheBackend };
}

/** Failures that no retry fixes: the device cannot run the model. A broken or partial download is worth one retry. */
function isPermanent(code: string, message: string): boolean {
  return ['no-webgpu', 'oom', 'device-lost'].includes(code) || /shader-f16|not found in (the )?model list|ModelNotFound/i.test(message);
}

/** web-llm's worker client rejects with the error's text only; rebuild a typed error. */
function classify(err: unknown): EngineError | ContextOverflowError {
  const wire = toWireError(typeof err === 'string' ? new Error(err) : err);
  // web-llm's ContextWindowSizeExceededError (error.ts): the prompt passed the window it was loaded with.
  if (/Prompt tokens exceed context window size/.test(wire.message)) return new ContextOverflowError(wire.message);
  const e = errorFromWire(wire);
  return e instanceof EngineError ? e : new EngineError('engine', wire.message);
}

/** One chat completion as web-llm answered it. */
interface WebLLMCompletion {
  text: string;
  usage: GenerateResult['usage'];
  latencyMs: number;
  finishReason: string | undefined;
}

export class WebLLMEngine implements CriticEngine, OnDeviceEngine {
  readonly kind = 'webllm' as const;
  readonly model: string;
  readonly label: string;
  readonly appConfig: AppConfig;
  readonly promptStyle: PromptStyle;
  readonly #storage: WebLLMStorage;
  /**
   * Bumped by every request, reset and unload: a caller that keeps a chat in
   * web-llm's KV cache (the incremental critic) knows it still holds only
   * while this is what it was after its own last request.
   */
  #chats = 0;
  #engine: WebWorkerMLCEngine | undefined;
  #worker: MLCWorkerLike | undefined;
  #died: ((err: EngineError) => void) | undefined;
  readonly #countWaiters = new Map<string, (reply: TokenCounts) => void>();
  /** The window the model is loaded with. */
  readonly contextWindow: number;

  constructor(private readonly opts: WebLLMEngineOptions) {
    this.model = opts.model;
    this.label = `webllm:${opts.model}`;
    const max = opts.custom ? (opts.custom.contextWindow ?? WEBLLM_DEFAULT_WINDOW) : modelMaxWindow(opts.model);
    const wanted = opts.contextWindow ?? (opts.custom ? max : criticWindowDefault(opts.model));
    this.contextWindow = Math.min(wanted, max);
    this.appConfig = webllmAppConfig(opts.model, opts.custom, opts.cacheBackend ?? 'cache');
    this.promptStyle = opts.promptStyle ?? (opts.custom ? 'single-turn' : 'incremental');
    // Methods one by one: a class instance's methods live on its prototype, which a spread would drop.
    const s = opts.storage;
    this.#storage = {
      deleteModel: s?.deleteModel?.bind(s) ?? defaultStorage.deleteModel,
      hasModel: s?.hasModel?.bind(s) ?? defaultStorage.hasModel,
      estimate: s?.estimate?.bind(s) ?? defaultStorage.estimate,
    };
  }

  async load(onProgress: ProgressListener): Promise<EngineLoadInfo> {
    const started = performance.now();
    const attempts: EngineLoadInfo['attempts'] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.#start(onProgress);
        attempts.push({ device: 'webgpu' });
        onProgress({ stage: 'ready', fraction: 1, text: `Ready: ${this.opts.model}` });
        return {
          engine: 'webllm',
          model: this.opts.model,
          device: 'webgpu',
          attempts,
          loadMs: performance.now() - started,
          kvReuse: this.promptStyle === 'incremental',
          contextWindow: this.contextWindow,
        };
      } catch (err) {
        const e = classify(err);
        attempts.push({ device: 'webgpu', error: e.message });
        await this.#stop();
        if (attempt > 0 || isPermanent(e.code, e.message)) {
          throw e.code === 'engine' ? new EngineError('load-failed', `${this.opts.model} could not be loaded: ${e.message}`) : e;
        }
        // A failed download can leave entries that break every later load: clear them and fetch again.
        onProgress({ stage: 'download', fraction: 0, text: `Download failed (${e.message}); clearing cached files and retrying` });
        await this.#storage.deleteModel(this.opts.model, this.appConfig).catch(() => undefined);
      }
    }
    throw new EngineError('load-failed', `${this.opts.model} could not be loaded`);
  }

  async #start(onProgress: ProgressListener): Promise<void> {
    const worker = this.#countingPort(this.opts.createWorker());
    const died = new Promise<never>((_, reject) => {
      this.#died = reject;
    });
    died.catch(() => undefined);
    const onError = () => this.#died?.(new EngineError('worker-died', 'The web-llm worker crashed'));
    worker.addEventListener?.('error', onError);
    worker.addEventListener?.('messageerror', onError);
    this.#engine = await Promise.race([
      CreateWebWorkerMLCEngine(
        worker,
        this.opts.model,
        {
          appConfig: this.appConfig,
          initProgressCallback: (r) =>
            onProgress({ stage: r.progress >= 1 ? 'load' : 'download', fraction: Math.min(1, Math.max(0, r.progress)), text: r.text }),
        },
        { context_window_size: this.contextWindow },
      ),
      died,
    ]);
  }

  /**
   * The worker as web-llm's client sees it, with the token-count replies
   * (webllm-tokens.ts) taken out before they reach the client, which would
   * throw on a message kind it does not know.
   */
  #countingPort(worker: MLCWorkerLike): MLCWorkerLike {
    this.#worker = worker;
    const port: MLCWorkerLike = {
      onmessage: undefined,
      postMessage: (m) => worker.postMessage(m),
      ...(worker.addEventListener ? { addEventListener: (t: 'error' | 'messageerror', l: (e: Event) => void) => worker.addEventListener?.(t, l) } : {}),
      ...(worker.terminate ? { terminate: () => worker.terminate?.() } : {}),
    };
    worker.onmessage = (event: unknown) => {
      const data: unknown = typeof MessageEvent !== 'undefined' && event instanceof MessageEvent ? event.data : event;
      const counts = TokenCountsSchema.safeParse(data);
      if (counts.success) {
        this.#countWaiters.get(counts.data.uuid)?.(counts.data);
        this.#countWaiters.delete(counts.data.uuid);
        return;
      }
      if (typeof port.onmessage === 'function') port.onmessage(event);
    };
    return port;
  }

  /** Counts of `texts` with the model's own tokenizer, in the worker. */
  async countTokens(texts: string[]): Promise<number[]> {
    const worker = this.#worker;
    if (!worker || !this.#engine) throw new EngineError('engine', 'The web-llm engine is not loaded');
    const uuid = `count-${++countRequests}`;
    const reply = await new Promise<TokenCounts>((resolve) => {
      this.#countWaiters.set(uuid, resolve);
      worker.postMessage({ kind: COUNT_TOKENS, uuid, content: texts });
    });
    if (reply.error || reply.content.length !== texts.length) throw new EngineError('engine', `Token count failed: ${reply.error ?? 'wrong number of counts'}`);
    return reply.content;
  }

  /** One single-turn request (system + user); web-llm prefills all of it. */
  async generate(req: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    const { text, usage, latencyMs } = await this.complete(
      [
        { role: 'system', content: req.system },
        { role: 'user', content: req.user },
      ],
      req,
      signal,
    );
    return { text, usage, prefillTokens: usage.promptTokens, reusedTokens: 0, latencyMs };
  }

  /** Requests, resets and unloads so far: a kept chat holds while this is unchanged since its own request. */
  get chats(): number {
    return this.#chats;
  }

  /**
   * One chat completion. web-llm reuses its KV cache when `messages` is the
   * previous request's messages, then its reply verbatim, then one new user
   * turn (see the file comment); the reply's finish reason says whether the
   * next request may continue this one ("stop") or web-llm will reset.
   */
  async complete(messages: readonly ChatTurn[], req: GenerateOptions, signal: AbortSignal): Promise<WebLLMCompletion> {
    this.#chats++;
    const engine = this.#engine;
    if (!engine) throw new EngineError('engine', 'The web-llm engine is not loaded');
    if (signal.aborted) throw new AbortedError();
    const started = performance.now();
    const onAbort = () => engine.interruptGenerate();
    signal.addEventListener('abort', onAbort, { once: true });
    const died = new Promise<never>((_, reject) => {
      this.#died = reject;
    });
    died.catch(() => undefined);
    try {
      const reply = await Promise.race([
        engine.chat.completions.create({
          messages: [...messages],
          stream: false,
          temperature: 0,
          max_tokens: req.maxNewTokens ?? this.opts.maxNewTokens ?? 256,
          // XGrammar constrains the output to the verdict schema; web-llm takes the schema as a string.
          ...(req.jsonSchema ? { response_format: { type: 'json_object' as const, schema: req.jsonSchema } } : {}),
        }),
        died,
      ]);
      if (signal.aborted) throw new AbortedError();
      const choice = reply.choices[0];
      const usage = { promptTokens: reply.usage?.prompt_tokens ?? 0, completionTokens: reply.usage?.completion_tokens ?? 0 };
      return { text: choice?.message.content ?? '', usage, latencyMs: performance.now() - started, finishReason: choice?.finish_reason };
    } catch (err) {
      if (signal.aborted) throw new AbortedError();
      throw classify(err);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** The loaded MLC engine, for a caller that chats with it directly (the local actor); undefined until loaded. */
  get chatEngine(): WebWorkerMLCEngine | undefined {
    return this.#engine;
  }

  async resetCache(): Promise<void> {
    this.#chats++;
    await this.#engine?.resetChat();
  }

  async #stop(): Promise<void> {
    this.#chats++;
    const engine = this.#engine;
    this.#engine = undefined;
    await engine?.unload().catch(() => undefined);
    this.#worker?.terminate?.();
    this.#worker = undefined;
  }

  async unload(): Promise<void> {
    await this.#stop();
  }

  isCached(): Promise<boolean> {
    return this.#storage.hasModel(this.opts.model, this.appConfig);
  }

  /** Unloads, then deletes the model's weights, library and config from browser storage; reports the storage freed. */
  async deleteCache(): Promise<DeleteReport> {
    await this.#stop();
    const before = await this.#storage.estimate();
    try {
      await this.#storage.deleteModel(this.opts.model, this.appConfig);
    } catch (err) {
      throw new EngineError('engine', `Could not delete ${this.opts.model} from the cache: ${errorMessage(err)}`);
    }
    return deleteReport(before, await this.#storage.estimate());
  }
}
