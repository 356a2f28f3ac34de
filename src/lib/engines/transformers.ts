/**
 * transformers.js critic engine: an ONNX text-generation model on WebGPU,
 * falling back to wasm (and to onnxruntime-node's cpu under Node). Keeps the
 * KV cache of the previous prompt and reuses the shared prefix on the next.
 */
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  DynamicCache,
  StoppingCriteria,
  Tensor,
  env,
  type ProgressInfo,
} from '@huggingface/transformers';
import { probeCapabilities } from './capabilities.ts';
import { AbortedError, ContextOverflowError, EngineError, errorMessage } from '../errors.ts';
import type { TransformersDevice, TransformersDtype, TransformersEngineOptions } from './transformers-options.ts';
import {
  commonPrefixLength,
  hasCompleteJsonObject,
  memoCounter,
  type CriticEngine,
  type EngineLoadInfo,
  type ChatTurn,
  type GenerateOptions,
  type GenerateRequest,
  type GenerateResult,
  type PrefillResult,
  type ProgressListener,
  type PromptStyle,
  type TokenCounter,
} from './engine-interface.ts';

export type { TransformersDevice, TransformersDtype, TransformersEngineOptions } from './transformers-options.ts';

type Model = Awaited<ReturnType<typeof AutoModelForCausalLM.from_pretrained>>;
type Tokenizer = Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
type Cache = InstanceType<typeof DynamicCache>;

const IS_NODE = typeof process !== 'undefined' && typeof process.versions?.node === 'string' && typeof window === 'undefined' && typeof self === 'undefined';

/** Devices to try, in order: the requested one, then what still works without it. */
export function deviceCandidates(device: TransformersDevice, hasWebGpu: boolean, isNode = IS_NODE): Array<'webgpu' | 'wasm' | 'cpu'> {
  if (isNode) return device === 'webgpu' && hasWebGpu ? ['webgpu', 'cpu'] : ['cpu'];
  if (device === 'wasm' || device === 'cpu') return ['wasm'];
  if (device === 'webgpu') return hasWebGpu ? ['webgpu', 'wasm'] : ['wasm'];
  return hasWebGpu ? ['webgpu', 'wasm'] : ['wasm'];
}

/** Dtypes to try on a device, in order; fp32 last because every export has it. */
export function dtypeCandidates(dtype: TransformersDtype, device: 'webgpu' | 'wasm' | 'cpu', shaderF16: boolean): Array<Exclude<TransformersDtype, 'auto'>> {
  if (dtype !== 'auto') return dtype === 'q4f16' && !(device === 'webgpu' && shaderF16) ? ['q4', 'fp32'] : [dtype];
  if (device === 'webgpu') return shaderF16 ? ['q4f16', 'q4', 'fp32'] : ['q4', 'fp32'];
  return ['q4', 'fp32'];
}

/** A model given as a URL loads as a "local" model whose folder is that URL's parent. */
/** Whether `<localPath><id>/config.json` is served (browser) or present (Node). */
async function existsLocally(localPath: string, id: string): Promise<boolean> {
  if (IS_NODE) {
    const { existsSync } = await import('node:fs');
    return existsSync(`${localPath.replace(/\/+$/, '')}/${id}/config.json`);
  }
  try {
    const url = new URL(`${localPath.replace(/\/+$/, '')}/${id}/config.json`, globalThis.location?.href ?? 'http://127.0.0.1/');
    return (await fetch(url, { method: 'HEAD' })).ok;
  } catch {
    return false;
  }
}

export function splitModelLocation(model: string): { id: string; localModelPath?: string } {
  if (!/^https?:\/\//.test(model)) return { id: model };
  const trimmed = model.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return { id: trimmed.slice(cut + 1), localModelPath: `${trimmed.slice(0, cut)}/` };
}


function mapProgress(p: ProgressInfo): Parameters<ProgressListener>[0] | undefined {
  switch (p.status) {
    case 'initiate':
    case 'download':
      return { stage: 'download', file: p.file, text: `Fetching ${p.file}` };
    case 'progress':
      return {
        stage: 'download',
        file: p.file,
        loaded: p.loaded,
        total: p.total,
        fraction: Math.min(1, Math.max(0, p.progress / 100)),
        text: `Downloading ${p.file}`,
      };
    case 'done':
      return { stage: 'load', file: p.file, text: `Loaded ${p.file}` };
    default:
      return undefined;
  }
}

/** Stops decoding once a complete JSON object is out (an approval ends after a few tokens), or when aborted. */
class VerdictStop extends StoppingCriteria {
  constructor(
    private readonly promptLength: number,
    private readonly decode: (ids: bigint[]) => string,
    private readonly signal: AbortSignal,
    private readonly atJson: boolean,
  ) {
    super();
  }
  override _call(inputIds: number[][]): boolean[] {
    return inputIds.map((ids) => {
      if (this.signal.aborted) return true;
      if (!this.atJson) return false;
      return hasCompleteJsonObject(this.decode(ids.slice(this.promptLength).map((x) => BigInt(x))));
    });
  }
}

/** Marks where an open (unfinished) last turn ends in the rendered template; never in real text. */
const OPEN_END = '\u0000spotter-open-end\u0000';
/** Tokens of a prepared prefix left for the verdict request: they may tokenize differently once the proposal follows. */
const OPEN_MARGIN_TOKENS = 4;

// Plain loops and fill: per-element callbacks cost milliseconds per call on prompts of tens of thousands of tokens.
function toBigInts(ids: readonly number[]): BigInt64Array {
  const out = new BigInt64Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = BigInt(ids[i] ?? 0);
  return out;
}

const onesMask = (length: number): Tensor => new Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]);

function isCache(x: unknown): x is Cache {
  return x instanceof Object && typeof Reflect.get(x, 'get_seq_length') === 'function';
}

function cropCache(cache: Cache, length: number): Cache | undefined {
  const entries: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(cache)) {
    if (!(t instanceof Tensor)) continue;
    // GPU-resident caches cannot be sliced on the CPU; such engines prefill afresh.
    if (t.location === 'gpu-buffer') return undefined;
    entries[name] = t.slice(null, null, [0, length], null);
  }
  return Object.keys(entries).length > 0 ? new DynamicCache(entries) : undefined;
}

export class TransformersEngine implements CriticEngine {
  readonly kind = 'transformers' as const;
  readonly model: string;
  readonly label: string;
  #model: Model | undefined;
  #tokenizer: Tokenizer | undefined;
  /**
   * The kept KV cache: the tokens it holds; every token of the last call
   * (prompt, then what the model generated, or the prefilled prefix); and the
   * text those are, when known exactly. A new prompt whose text starts with
   * that text is tokenized as those tokens plus the rest, so it extends the
   * cache exactly even where the model wrote its reply in other tokens than
   * the tokenizer would (re-encoding would break the match, and a GPU cache
   * cannot be cropped to the point where it breaks).
   */
  #cache: { tokens: number[]; all: number[]; text: string | undefined; kv: Cache } | undefined;
  #kvCapable = false;
  /** Positions the loaded model attends to: config.json's max_position_embeddings, or the smaller one asked for. */
  #window: number | undefined;
  #counter: TokenCounter | undefined;
  #busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: TransformersEngineOptions) {
    this.model = opts.model;
    this.label = `transformers:${opts.model}`;
  }

  async load(onProgress: ProgressListener): Promise<EngineLoadInfo> {
    const started = performance.now();
    const loc = splitModelLocation(this.opts.model);
    const localPath = loc.localModelPath ?? this.opts.localModelPath;
    if (localPath !== undefined) env.localModelPath = localPath;
    env.allowLocalModels = true;
    // A model found in the local folder stays local: a precision it lacks must
    // not be fetched from the hub (the next precision is tried instead).
    const foundLocally = localPath !== undefined && !loc.localModelPath && (await existsLocally(localPath, loc.id));
    env.allowRemoteModels = loc.localModelPath || foundLocally ? false : (this.opts.allowRemoteModels ?? false);
    const onnxWasm = env.backends.onnx.wasm;
    if (this.opts.ortWasmPrefix && onnxWasm) {
      const base = new URL(this.opts.ortWasmPrefix, globalThis.location?.href ?? 'http://127.0.0.1/').href;
      onnxWasm.wasmPaths = { mjs: `${base}ort-wasm-simd-threaded.asyncify.mjs`, wasm: `${base}ort-wasm-simd-threaded.asyncify.wasm` };
    }
    const progress_callback = (p: ProgressInfo) => {
      const mapped = mapProgress(p);
      if (mapped) onProgress(mapped);
    };

    const attempts: EngineLoadInfo['attempts'] = [];
    try {
      this.#tokenizer = await AutoTokenizer.from_pretrained(loc.id, { progress_callback });
    } catch (err) {
      throw new EngineError('load-failed', `Tokenizer of ${this.opts.model} could not be loaded: ${errorMessage(err)}`);
    }
    const shaderF16 = this.opts.shaderF16 ?? false;
    // An adapter, not just navigator.gpu: a browser may expose WebGPU with no adapter
    // (blocklisted driver, no GPU), and a failed WebGPU attempt leaves onnxruntime
    // unable to fall back to wasm in the same worker.
    const webgpu = IS_NODE ? false : (await probeCapabilities()).webgpu;
    for (const device of deviceCandidates(this.opts.device ?? 'auto', webgpu)) {
      for (const dtype of dtypeCandidates(this.opts.dtype ?? 'auto', device, shaderF16)) {
        try {
          this.#model = await AutoModelForCausalLM.from_pretrained(loc.id, { device, dtype, progress_callback });
          attempts.push({ device, dtype });
          // use_cache: false marks exports without past_key_values inputs.
          this.#kvCapable = Reflect.get(this.#model.config, 'use_cache') !== false;
          this.#setWindow(this.#model.config, this.#tokenizer);
          onProgress({ stage: 'ready', fraction: 1, text: `Ready on ${device} (${dtype})` });
          return {
            engine: 'transformers',
            model: this.opts.model,
            device,
            dtype,
            attempts,
            loadMs: performance.now() - started,
            kvReuse: this.#kvCapable && (this.opts.reusePrefix ?? true),
            ...(this.#window ? { contextWindow: this.#window } : {}),
          };
        } catch (err) {
          attempts.push({ device, dtype, error: errorMessage(err) });
        }
      }
    }
    const tried = attempts.map((a) => `${a.device}/${a.dtype}: ${a.error ?? ''}`).join('; ');
    throw new EngineError('load-failed', `${this.opts.model} could not be loaded (${tried})`);
  }

  #setWindow(config: unknown, tokenizer: Tokenizer): void {
    const max: unknown = config instanceof Object ? Reflect.get(config, 'max_position_embeddings') : undefined;
    const own = typeof max === 'number' && max > 0 ? max : undefined;
    const asked = this.opts.contextWindow;
    this.#window = own !== undefined && asked !== undefined ? Math.min(own, asked) : (asked ?? own);
    // Counted only where a window limits the prompt (none: the critic sends whole prompts).
    this.#counter = this.#window ? memoCounter((text) => tokenizer.encode(text, { add_special_tokens: false }).length) : undefined;
  }

  get contextWindow(): number | undefined {
    return this.#window;
  }

  /** Known once loaded: incremental only where the cache is kept. */
  get promptStyle(): PromptStyle {
    return this.opts.promptStyle ?? (this.#reuse ? 'incremental' : 'single-turn');
  }

  tokenCounter(): TokenCounter | undefined {
    return this.#counter;
  }

  /** One single-turn request (system + user). */
  generate(req: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    return this.generateChat(
      [
        { role: 'system', content: req.system },
        { role: 'user', content: req.user },
      ],
      req,
      signal,
    );
  }

  /** One generation over a whole chat; one at a time (the cache belongs to the previous call). */
  generateChat(turns: readonly ChatTurn[], req: GenerateOptions, signal: AbortSignal): Promise<GenerateResult> {
    return this.#queue(() => this.#generate(turns, req, signal));
  }

  /**
   * Prefills the KV cache with `turns`, whose last turn is still open (the
   * prompt up to the proposal), so that the verdict request that follows
   * computes only the rest. Queued like a generation; a no-op without reuse.
   */
  prefill(turns: readonly ChatTurn[], signal: AbortSignal): Promise<PrefillResult> {
    return this.#queue(() => this.#prefill(turns, signal));
  }

  #queue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#busy.then(task);
    this.#busy = run.catch(() => undefined);
    return run;
  }

  get #reuse(): boolean {
    return this.#kvCapable && (this.opts.reusePrefix ?? true);
  }

  #loaded(): { model: Model; tokenizer: Tokenizer } {
    const model = this.#model;
    const tokenizer = this.#tokenizer;
    if (!model || !tokenizer) throw new EngineError('engine', 'The transformers.js engine is not loaded');
    return { model, tokenizer };
  }

  /** A chat as text and token ids: finished with the reply header, or `open` (the last turn cut before its end, a prefix of the finished chat). */
  #render(tokenizer: Tokenizer, turns: readonly ChatTurn[], open: boolean): { text: string; ids: number[] } {
    const last = turns.at(-1);
    const messages = open && last ? [...turns.slice(0, -1), { ...last, content: `${last.content}${OPEN_END}` }] : [...turns];
    const rendered = tokenizer.apply_chat_template(messages, { add_generation_prompt: !open, tokenize: false });
    if (typeof rendered !== 'string') throw new EngineError('engine', 'Chat template did not render to text');
    const text = open ? rendered.slice(0, Math.max(0, rendered.indexOf(OPEN_END))) : rendered;
    const known = this.#cache?.text;
    if (this.#reuse && known !== undefined && this.#cache && text.startsWith(known)) {
      return { text, ids: this.#cache.all.concat(tokenizer.encode(text.slice(known.length), { add_special_tokens: false })) };
    }
    return { text, ids: tokenizer.encode(text, { add_special_tokens: false }) };
  }

  /**
   * The cache to continue from for `ids`: the kept cache itself when `ids`
   * extends its tokens exactly (any device: the tensors stay where they are,
   * on the GPU too), else a CPU copy cropped to the shared prefix (wasm/cpu
   * only; a GPU cache cannot be cropped, so the prompt is prefilled afresh).
   */
  async #continueFrom(ids: readonly number[]): Promise<{ past: Cache | undefined; reused: number }> {
    const cache = this.#cache;
    this.#cache = undefined;
    if (!this.#reuse || !cache) {
      await cache?.kv.dispose();
      return { past: undefined, reused: 0 };
    }
    const shared = commonPrefixLength(cache.tokens, ids);
    // At least one prompt token must be fed so the model yields next-token logits.
    if (shared === cache.tokens.length && shared < ids.length) return { past: cache.kv, reused: shared };
    const keep = Math.min(shared, ids.length - 1);
    const past = keep > 0 ? cropCache(cache.kv, keep) : undefined;
    await cache.kv.dispose();
    return { past, reused: past ? keep : 0 };
  }

  #checkWindow(ids: readonly number[]): void {
    // The model has no positions past its window: refuse, as web-llm does, rather than produce garbage.
    if (this.#window !== undefined && ids.length >= this.#window) throw ContextOverflowError.of(ids.length, this.#window);
  }

  #keep(all: number[], text: string | undefined, kv: unknown): void {
    if (!this.#reuse || !isCache(kv)) return;
    try {
      // `all` is this engine's own array, never changed after: kept as it is (no copy of tens of thousands of tokens).
      const held = kv.get_seq_length();
      this.#cache = { tokens: held === all.length ? all : all.slice(0, held), all, text, kv };
    } catch {
      this.#cache = undefined;
    }
  }

  async #prefill(turns: readonly ChatTurn[], signal: AbortSignal): Promise<PrefillResult> {
    const { model, tokenizer } = this.#loaded();
    if (signal.aborted) throw new AbortedError();
    if (!this.#reuse) return { prefillTokens: 0, reusedTokens: 0 };
    // The last few tokens of an open prompt may merge with the text that follows it: leave them to the verdict request.
    const open = this.#render(tokenizer, turns, true);
    const ids = open.ids.slice(0, -OPEN_MARGIN_TOKENS);
    if (ids.length < 2 || (this.#window !== undefined && ids.length >= this.#window)) return { prefillTokens: 0, reusedTokens: 0 };
    const { past, reused } = await this.#continueFrom(ids);
    const out = await model.generate({
      inputs: new Tensor('int64', toBigInts(ids), [1, ids.length]),
      attention_mask: onesMask(ids.length),
      ...(past ? { past_key_values: past } : {}),
      max_new_tokens: 1,
      do_sample: false,
      return_dict_in_generate: true,
    });
    const kv = out instanceof Tensor || !('past_key_values' in out) ? undefined : out.past_key_values;
    // One forward pass over the prompt: the sampled token is not in the cache, so it holds exactly `ids`.
    // Decoded as they are: the default clean-up turns " 'return" into "'return", and the text would no longer match.
    const text = tokenizer.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    this.#keep(ids, open.text.startsWith(text) ? text : undefined, kv);
    return { prefillTokens: ids.length - reused, reusedTokens: reused };
  }

  async #generate(turns: readonly ChatTurn[], req: GenerateOptions, signal: AbortSignal): Promise<GenerateResult> {
    const { model, tokenizer } = this.#loaded();
    if (signal.aborted) throw new AbortedError();
    const started = performance.now();
    const { text: promptText, ids } = this.#render(tokenizer, turns, false);
    this.#checkWindow(ids);
    const maxNew = Math.min(req.maxNewTokens ?? this.opts.maxNewTokens ?? 256, (this.#window ?? Infinity) - ids.length);
    const { past, reused } = await this.#continueFrom(ids);

    const decode = (x: bigint[]) => tokenizer.decode(x, { skip_special_tokens: true });
    const stop = new VerdictStop(ids.length, decode, signal, req.stopAtJson ?? true);
    let out: Awaited<ReturnType<Model['generate']>>;
    try {
      out = await model.generate({
        inputs: new Tensor('int64', toBigInts(ids), [1, ids.length]),
        attention_mask: onesMask(ids.length),
        ...(past ? { past_key_values: past } : {}),
        max_new_tokens: maxNew,
        do_sample: false,
        return_dict_in_generate: this.#reuse,
        stopping_criteria: [stop],
      });
    } catch (err) {
      await past?.dispose();
      throw err;
    }
    if (signal.aborted) throw new AbortedError();

    const sequences = out instanceof Tensor ? out : 'sequences' in out ? out.sequences : undefined;
    if (!(sequences instanceof Tensor)) throw new EngineError('engine', 'Generation returned no sequences');
    const generated = Array.from(sequences.data.slice(ids.length), (x) => Number(x));
    const all = ids.concat(generated);
    const text = tokenizer.decode(
      generated.map((x) => BigInt(x)),
      { skip_special_tokens: true },
    );
    // The reply's text is known exactly only when it holds no special tokens (an end-of-sequence, say).
    const exact = tokenizer.decode(generated, { skip_special_tokens: false }) === text;
    this.#keep(all, exact ? promptText + text : undefined, out instanceof Tensor || !('past_key_values' in out) ? undefined : out.past_key_values);
    return {
      text,
      usage: { promptTokens: ids.length, completionTokens: generated.length },
      prefillTokens: ids.length - reused,
      reusedTokens: reused,
      latencyMs: performance.now() - started,
    };
  }

  async #dropCache(): Promise<void> {
    const old = this.#cache;
    this.#cache = undefined;
    await old?.kv.dispose();
  }

  async resetCache(): Promise<void> {
    await this.#busy;
    await this.#dropCache();
  }

  async unload(): Promise<void> {
    await this.resetCache();
    await this.#model?.dispose();
    this.#model = undefined;
    this.#tokenizer = undefined;
  }
}

/** Deletes a model's files from transformers.js's browser cache; returns how many entries went (0 where there is no Cache API). */
export async function deleteTransformersModelFiles(model: string): Promise<number> {
  if (typeof caches === 'undefined') return 0;
  const { id } = splitModelLocation(model);
  const cache = await caches.open(env.cacheKey);
  let n = 0;
  for (const req of await cache.keys()) {
    if (new URL(req.url).pathname.includes(`/${id}/`) && (await cache.delete(req))) n++;
  }
  return n;
}
