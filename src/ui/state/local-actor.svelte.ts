import type { ModelRecord } from '@mlc-ai/web-llm';
import type { Actor } from '../../lib/actor/types.ts';
import { probeCapabilities, type Capabilities } from '../../lib/engines/capabilities.ts';
import { deleteReportText, type EngineProgress } from '../../lib/engines/types.ts';
import type { MLCWorkerLike, WebLLMEngine, WebLLMStorage } from '../../lib/engines/webllm.ts';
import { actorModelOptions, type WebLLMModelOption } from '../../lib/engines/webllm-models.ts';
import { EngineError, errorMessage } from '../../lib/errors.ts';
import { actorOnEngine, openOnDeviceActorEngine } from '../../lib/setup/on-device.ts';
import { prebuiltModelList, webllmWorker } from './webllm-shared.ts';

/** Where the browser meets the engine; the defaults are the real ones, tests put doubles behind the worker boundary. */
export interface LocalActorDeps {
  createWorker?: () => MLCWorkerLike;
  storage?: Partial<WebLLMStorage>;
  probe?: () => Promise<Capabilities>;
  modelList?: () => Promise<readonly ModelRecord[]>;
}

export const NO_WEBGPU_HELP =
  'The in-browser actor needs WebGPU, and this browser has none (web-llm runs the model on the GPU). Use a recent Chrome or Edge with WebGPU enabled, or pick "remote provider" as the actor engine.';

/** web-llm's failures in words a person can act on. */
function explain(err: unknown, model: string): string {
  if (err instanceof EngineError) {
    if (err.code === 'no-webgpu') return NO_WEBGPU_HELP;
    if (err.code === 'oom' || err.code === 'device-lost') return `${model} does not fit in this GPU's memory (${err.message}). Pick a smaller model or close other GPU-heavy tabs.`;
  }
  return errorMessage(err);
}

/**
 * The in-browser actor: a web-llm model loaded in its own worker, so an
 * episode with an in-browser critic too sends nothing off the machine.
 */
export class LocalActorState {
  caps = $state.raw<Capabilities | undefined>(undefined);
  modelList = $state.raw<readonly ModelRecord[]>([]);
  status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  progress = $state.raw<EngineProgress | undefined>(undefined);
  error = $state('');
  freed = $state('');
  /** The model id of the loaded actor. */
  loadedModel = $state('');
  actor = $state.raw<Actor | undefined>(undefined);

  #engine: WebLLMEngine | undefined;
  /** Bumped by every load and unload, so a load overtaken by an unload drops its engine. */
  #generation = 0;
  #probing: Promise<void> | undefined;
  readonly #deps: Required<LocalActorDeps>;

  constructor(
    private readonly onActor: (actor: Actor | undefined) => void,
    deps: LocalActorDeps = {},
  ) {
    this.#deps = {
      createWorker: deps.createWorker ?? webllmWorker,
      storage: deps.storage ?? {},
      probe: deps.probe ?? (() => probeCapabilities()),
      modelList: deps.modelList ?? prebuiltModelList,
    };
  }

  get modelOptions(): WebLLMModelOption[] {
    return actorModelOptions(this.modelList, { shaderF16: this.caps?.shaderF16 ?? false });
  }

  /** Checks WebGPU and reads web-llm's list, once; nothing is downloaded. */
  probe(): Promise<void> {
    this.#probing ??= (async () => {
      this.caps = await this.#deps.probe();
      this.modelList = await this.#deps.modelList();
    })().catch((err: unknown) => {
      this.#probing = undefined;
      this.error = errorMessage(err);
    });
    return this.#probing;
  }

  #newEngine(model: string): Promise<WebLLMEngine> {
    return openOnDeviceActorEngine(model, { webllmWorker: this.#deps.createWorker, webllmStorage: this.#deps.storage });
  }

  async load(model: string): Promise<void> {
    const generation = ++this.#generation;
    await this.#release();
    this.error = '';
    this.freed = '';
    await this.probe();
    if (generation !== this.#generation) return;
    if (this.caps && !this.caps.webgpu) {
      this.status = 'error';
      this.error = `${NO_WEBGPU_HELP}${this.caps.webgpuProblem ? ` (${this.caps.webgpuProblem})` : ''}`;
      return;
    }
    this.status = 'loading';
    let engine: WebLLMEngine | undefined;
    try {
      engine = await this.#newEngine(model);
      this.#engine = engine;
      await engine.load((p) => {
        if (generation === this.#generation) this.progress = p;
      });
      if (generation !== this.#generation) {
        await engine.unload();
        return;
      }
      this.actor = await actorOnEngine(engine);
      this.loadedModel = model;
      this.status = 'ready';
      this.onActor(this.actor);
    } catch (err) {
      await engine?.unload().catch(() => undefined);
      if (generation !== this.#generation) return;
      this.#engine = undefined;
      this.status = 'error';
      this.error = explain(err, model);
    }
  }

  /** Frees the GPU and the worker; also cancels a load under way. */
  async unload(): Promise<void> {
    this.#generation++;
    await this.#release();
  }

  async #release(): Promise<void> {
    const engine = this.#engine;
    this.#engine = undefined;
    if (this.actor) this.onActor(undefined);
    this.actor = undefined;
    this.loadedModel = '';
    this.status = 'idle';
    this.progress = undefined;
    await engine?.unload().catch(() => undefined);
  }

  /** Deletes the model's weights from browser storage (unloading it first if it is the loaded one). */
  async deleteCache(model: string): Promise<void> {
    this.error = '';
    this.freed = '';
    try {
      if (this.loadedModel === model || this.status === 'loading') await this.unload();
      const engine = await this.#newEngine(model);
      this.freed = `${model}: ${deleteReportText(await engine.deleteCache())}`;
    } catch (err) {
      this.error = errorMessage(err);
    }
  }
}
