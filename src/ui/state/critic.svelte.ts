import { z } from 'zod';
import { engineOptions, probeCapabilities, type EngineOption } from '../../lib/engines/capabilities.ts';
import type { TransformersConfig, TransformersDevice, TransformersDtype } from '../../lib/engines/transformers-options.ts';
import type { CacheBackend } from '../../lib/engines/webllm.ts';
import { criticModelOptions, type WebLLMModelOption } from '../../lib/engines/webllm-models.ts';
import type { Critic } from '../../lib/critic/critic-interface.ts';
import { recommendCritic, recommendationFromQuery, type Recommendation } from '../../lib/critic/recommend.ts';
import { errorMessage } from '../../lib/errors.ts';
import { TransferMeter, type TransferStatus } from '../../lib/net/transfer-rate.ts';
import { openOnDeviceCritic, type OnDeviceDeps } from '../../lib/setup/on-device.ts';
import type { OnDeviceCriticSpec, WebLLMCriticSpec } from '../../lib/setup/specs.ts';
import { EngineSchema, StoredEngineSchema, type Verdict } from '../../lib/contracts.ts';
import { appPath } from '../app-url.ts';
import { loadStored, saveStored } from './stored.ts';
import { prebuiltModelList, webllmWorker } from './webllm-shared.ts';
import { OnDeviceModelState } from './on-device-model.svelte.ts';

/** The Critic tab's engine choice, of the one engine vocabulary: an on-device engine, or 'openai-compatible' for the remote endpoint of the Setup panel. */
const CriticPanelKindSchema = EngineSchema.extract(['webllm', 'transformers', 'openai-compatible']);
type CriticPanelKind = z.infer<typeof CriticPanelKindSchema>;

const STORAGE_KEY = 'spotter.criticPanel';

/** The panel's remembered choice; each field falls back on its own, so one bad value keeps the others. */
const SavedChoiceSchema = z.object({
  /** Saved as 'remote' before the one vocabulary (StoredEngineSchema reads it as 'openai-compatible'). */
  kind: StoredEngineSchema.pipe(CriticPanelKindSchema).optional().catch(undefined),
  webllmModel: z.string().optional().catch(undefined),
  tfModel: z.string().optional().catch(undefined),
});

function transformersWorker(): Worker {
  return new Worker(new URL('../../workers/transformers.worker.ts', import.meta.url), { type: 'module' });
}

const browserStorage = (): Storage | undefined => (typeof localStorage === 'undefined' ? undefined : localStorage);

/** The in-browser critic panel: capabilities, engine choice, loading, cache. */
export class CriticPanelState extends OnDeviceModelState<Critic> {
  kind = $state<CriticPanelKind>('transformers');
  webllmModel = $state('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
  /** The context window to load a web-llm critic with; 0: the model's default (criticWindowDefault). */
  webllmWindow = $state(0);
  cacheBackend = $state<CacheBackend>('cache');
  useCustom = $state(false);
  customModelUrl = $state('');
  customModelLibUrl = $state('');
  tfModel = $state('onnx-community/Qwen2.5-0.5B-Instruct');
  tfDevice = $state<TransformersDevice>('auto');
  tfDtype = $state<TransformersDtype>('auto');
  /** A smaller context window than the model's own (0: config.json's max_position_embeddings). */
  tfWindow = $state(0);

  lastTry = $state.raw<Verdict | undefined>(undefined);
  /** Bytes, speed and time left of the current download. */
  transfer = $state.raw<TransferStatus | undefined>(undefined);

  readonly #deps: OnDeviceDeps;
  readonly #storage: Storage | undefined;

  constructor(onCritic: (critic: Critic | undefined) => void, deps: Partial<OnDeviceDeps> & { storage?: Storage | undefined } = {}) {
    super(onCritic, { capabilities: () => probeCapabilities(), modelList: prebuiltModelList });
    this.#deps = {
      webllmWorker: deps.webllmWorker ?? webllmWorker,
      transformersWorker: deps.transformersWorker ?? transformersWorker,
      ...(deps.webllmStorage ? { webllmStorage: deps.webllmStorage } : {}),
    };
    this.#storage = 'storage' in deps ? deps.storage : browserStorage();
    // A broken saved choice just falls back to the defaults.
    const saved = loadStored(this.#storage, STORAGE_KEY, SavedChoiceSchema, {});
    this.kind = saved.kind ?? this.kind;
    this.webllmModel = saved.webllmModel ?? this.webllmModel;
    this.tfModel = saved.tfModel ?? this.tfModel;
  }

  /** The loaded critic, the active one while loaded. */
  get critic(): Critic | undefined {
    return this.served;
  }

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
    if (!r?.model || r.engine === 'openai-compatible') return;
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
    saveStored(this.#storage, STORAGE_KEY, { kind: this.kind, webllmModel: this.webllmModel, tfModel: this.tfModel });
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

  webllmSpec(): WebLLMCriticSpec {
    const custom = this.useCustom && this.customModelUrl && this.customModelLibUrl ? { modelUrl: this.customModelUrl, modelLibUrl: this.customModelLibUrl } : undefined;
    return {
      engine: 'webllm',
      model: this.webllmModel,
      cacheBackend: this.cacheBackend,
      ...(custom ? { custom } : {}),
      ...(this.webllmWindow > 0 ? { contextWindow: this.webllmWindow } : {}),
    };
  }

  /** The on-device critic the panel names; undefined for the remote choice. */
  spec(): OnDeviceCriticSpec | undefined {
    if (this.kind === 'transformers') return this.transformersConfig();
    if (this.kind === 'webllm') return this.webllmSpec();
    return undefined;
  }

  /** Loads the chosen engine and model; `expectedBytes` turns fraction-only progress into bytes. */
  async load(expectedBytes?: number): Promise<void> {
    this.save();
    const spec = this.spec();
    if (!spec) return this.unload();
    const meter = new TransferMeter(expectedBytes);
    this.transfer = undefined;
    let critic: Critic | undefined;
    await this.loadWith({
      open: async () => {
        const opened = await openOnDeviceCritic(spec, this.#deps);
        critic = opened.critic;
        return opened.engine;
      },
      serve: () => critic,
      onProgress: (p) => {
        if (p.stage === 'download') this.transfer = meter.add(p);
      },
    });
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

  /** Deletes the files of the model the panel names (unloading the loaded one first). */
  async deleteCache(): Promise<void> {
    const spec = this.spec();
    if (!spec) return;
    await this.deleteWith(async () => (await openOnDeviceCritic(spec, this.#deps)).engine, true);
  }
}
