import type { ModelRecord } from '@mlc-ai/web-llm';
import { engineOptions, probeCapabilities, type Capabilities, type EngineOption } from '../../lib/engines/capabilities.ts';
import type { EngineLoadInfo, EngineProgress } from '../../lib/engines/types.ts';
import type { CacheBackend, WebLLMEngine } from '../../lib/engines/webllm.ts';
import { criticModelOptions, type WebLLMModelOption } from '../../lib/engines/webllm-models.ts';
import type { Critic } from '../../lib/critic/types.ts';
import { WorkerCritic } from '../../lib/critic/worker-critic.ts';
import type { TransformersConfig } from '../../lib/critic/worker-protocol.ts';
import { recommendCritic, recommendationFromQuery, type Recommendation } from '../../lib/critic/recommend.ts';
import { errorMessage } from '../../lib/errors.ts';
import { TransferMeter, type TransferStatus } from '../../lib/net/transferRate.ts';
import type { Verdict } from '../../lib/types.ts';
import { appPath } from '../appUrl.ts';
import { freedText, prebuiltModelList, webllmWorker } from './webllm-shared.ts';

export type CriticEngineKind = 'webllm' | 'transformers' | 'remote';

const STORAGE_KEY = 'spotter.criticPanel';

function transformersWorker(): Worker {
  return new Worker(new URL('../../workers/transformers.worker.ts', import.meta.url), { type: 'module' });
}

/** The in-browser critic panel: capabilities, engine choice, loading, cache. */
export class CriticPanelState {
  caps = $state.raw<Capabilities | undefined>(undefined);
  kind = $state<CriticEngineKind>('transformers');
  webllmModel = $state('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
  /** The context window to load a web-llm critic with; 0: the model's default (criticWindowDefault). */
  webllmWindow = $state(0);
  cacheBackend = $state<CacheBackend>('cache');
  useCustom = $state(false);
  customModelUrl = $state('');
  customModelLibUrl = $state('');
  tfModel = $state('onnx-community/Qwen2.5-0.5B-Instruct');
  tfDevice = $state<'auto' | 'webgpu' | 'wasm'>('auto');
  tfDtype = $state<'auto' | 'q4' | 'q4f16' | 'fp32'>('auto');
  /** A smaller context window than the model's own (0: config.json's max_position_embeddings). */
  tfWindow = $state(0);

  status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  progress = $state.raw<EngineProgress | undefined>(undefined);
  error = $state('');
  loadInfo = $state.raw<EngineLoadInfo | undefined>(undefined);
  critic = $state.raw<Critic | undefined>(undefined);
  lastTry = $state.raw<Verdict | undefined>(undefined);
  freed = $state('');
  /** Bytes, speed and time left of the current download. */
  transfer = $state.raw<TransferStatus | undefined>(undefined);

  #workerCritic: WorkerCritic | undefined;
  #webllm: WebLLMEngine | undefined;

  constructor(private readonly onCritic: (critic: Critic | undefined) => void) {
    try {
      const saved: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
      if (saved && typeof saved === 'object') {
        const get = (k: string) => Reflect.get(saved, k);
        const str = (k: string) => (typeof get(k) === 'string' ? String(get(k)) : undefined);
        this.kind = (['webllm', 'transformers', 'remote'] as const).find((k) => k === get('kind')) ?? this.kind;
        this.webllmModel = str('webllmModel') ?? this.webllmModel;
        this.tfModel = str('tfModel') ?? this.tfModel;
      }
    } catch {
      // A broken saved choice just falls back to the defaults.
    }
  }

  /** web-llm's prebuilt list; web-llm (several MB) is loaded only when this panel opens. */
  modelList = $state.raw<readonly ModelRecord[]>([]);

  get modelOptions(): WebLLMModelOption[] {
    return criticModelOptions(this.modelList, { shaderF16: this.caps?.shaderF16 ?? false });
  }

  /** The critic to suggest: one named in the page's link, else the one this browser's GPU suits. */
  get recommendation(): Recommendation | undefined {
    const fromLink = recommendationFromQuery(globalThis.location?.search ?? '');
    if (fromLink) return fromLink;
    return this.caps ? recommendCritic(this.caps, this.modelOptions) : undefined;
  }

  /** One click: pick the recommended engine and model, then load it (it becomes the active critic). */
  async loadRecommended(): Promise<void> {
    const r = this.recommendation;
    if (!r?.model || r.engine === 'remote') return;
    this.kind = r.engine;
    if (r.engine === 'webllm') {
      this.webllmModel = r.model;
      this.useCustom = false;
    } else {
      this.tfModel = r.model;
      this.tfDevice = r.device ?? 'auto';
      this.tfDtype = 'auto';
    }
    await this.load(r.downloadMB !== undefined ? r.downloadMB * 1e6 : undefined);
  }

  get engineOptions(): EngineOption[] {
    return this.caps ? engineOptions(this.caps) : [];
  }

  save(): void {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ kind: this.kind, webllmModel: this.webllmModel, tfModel: this.tfModel }));
  }

  async probe(): Promise<void> {
    this.caps = await probeCapabilities();
    this.modelList = await prebuiltModelList();
  }

  transformersConfig(): TransformersConfig {
    return {
      engine: 'transformers',
      model: this.tfModel.trim(),
      device: this.tfDevice,
      dtype: this.tfDtype,
      // The app's own folder first (tests, offline copies); the Hugging Face hub for model ids not found there.
      // A path, not a full URL: transformers.js fails to load a tokenizer from an absolute localModelPath.
      localModelPath: appPath('models/'),
      allowRemoteModels: true,
      shaderF16: this.caps?.shaderF16 ?? false,
      maxNewTokens: 256,
      ...(this.tfWindow > 0 ? { contextWindow: this.tfWindow } : {}),
    };
  }

  /** Loads the chosen engine and model; `expectedBytes` turns fraction-only progress into bytes. */
  async load(expectedBytes?: number): Promise<void> {
    await this.unload();
    this.save();
    this.status = 'loading';
    this.error = '';
    this.progress = undefined;
    this.freed = '';
    const meter = new TransferMeter(expectedBytes);
    this.transfer = undefined;
    const onProgress = (p: EngineProgress) => {
      this.progress = p;
      if (p.stage === 'download') this.transfer = meter.add(p);
    };
    try {
      if (this.kind === 'transformers') {
        const wc = new WorkerCritic(transformersWorker());
        this.#workerCritic = wc;
        this.loadInfo = await wc.load(this.transformersConfig(), onProgress);
        this.critic = wc;
      } else if (this.kind === 'webllm') {
        const custom = this.useCustom && this.customModelUrl && this.customModelLibUrl ? { modelUrl: this.customModelUrl, modelLibUrl: this.customModelLibUrl } : undefined;
        const { WebLLMEngine, WebLLMCritic } = await import('../../lib/engines/webllm.ts');
        const engine = new WebLLMEngine({
          model: this.webllmModel,
          cacheBackend: this.cacheBackend,
          createWorker: webllmWorker,
          ...(custom ? { custom } : {}),
          ...(this.webllmWindow > 0 ? { contextWindow: this.webllmWindow } : {}),
        });
        this.#webllm = engine;
        this.loadInfo = await engine.load(onProgress);
        // Extends one chat per episode, so web-llm prefills only each step's new turn (single-turn for custom critics).
        this.critic = new WebLLMCritic(engine);
      } else {
        this.status = 'idle';
        return;
      }
      this.status = 'ready';
      this.onCritic(this.critic);
    } catch (err) {
      this.status = 'error';
      this.error = errorMessage(err);
      await this.unload();
      this.status = 'error';
    }
  }

  async unload(): Promise<void> {
    const wc = this.#workerCritic;
    const wl = this.#webllm;
    this.#workerCritic = undefined;
    this.#webllm = undefined;
    if (this.critic) this.onCritic(undefined);
    this.critic = undefined;
    this.loadInfo = undefined;
    this.status = 'idle';
    wc?.dispose();
    await wl?.unload().catch(() => undefined);
  }

  /** One verdict on a fixed example, to see the critic answer and how long it takes. */
  async tryOnce(): Promise<void> {
    if (!this.critic) return;
    this.lastTry = undefined;
    this.error = '';
    try {
      this.lastTry = await this.critic.judge(
        {
          policy: 'Verify the user identity before changing a booking.',
          tools: [],
          history: [{ role: 'user', content: 'Please cancel booking ABC123.' }],
          proposal: { kind: 'message', content: 'May I have your user id to verify your identity first?' },
          previousAttempts: [],
        },
        AbortSignal.timeout(120_000),
      );
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  async deleteCache(): Promise<void> {
    this.error = '';
    try {
      if (this.kind === 'webllm') {
        const { WebLLMEngine } = await import('../../lib/engines/webllm.ts');
        const engine = this.#webllm ?? new WebLLMEngine({ model: this.webllmModel, cacheBackend: this.cacheBackend, createWorker: webllmWorker });
        await this.unload();
        const r = await engine.deleteCacheWithReport();
        this.freed = freedText(r);
      } else if (this.kind === 'transformers') {
        const wc = this.#workerCritic ?? new WorkerCritic(transformersWorker());
        const r = await wc.deleteCache(this.transformersConfig());
        wc.dispose();
        this.#workerCritic = undefined;
        await this.unload();
        const freed = r.usageBefore !== undefined && r.usageAfter !== undefined ? Math.max(0, r.usageBefore - r.usageAfter) : undefined;
        this.freed = `${r.deletedEntries} file(s) deleted${freed !== undefined ? `, ${(freed / 2 ** 20).toFixed(1)} MB freed` : ''}`;
      }
    } catch (err) {
      this.error = errorMessage(err);
    }
  }
}
