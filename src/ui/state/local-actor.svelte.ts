import type { ModelRecord } from '@mlc-ai/web-llm';
import type { Actor } from '../../lib/actor/actor-interface.ts';
import { probeCapabilities, type Capabilities } from '../../lib/engines/capabilities.ts';
import type { MLCWorkerLike, WebLLMEngine, WebLLMStorage } from '../../lib/engines/webllm.ts';
import { actorModelOptions, type WebLLMModelOption } from '../../lib/engines/webllm-models.ts';
import { EngineError, errorMessage } from '../../lib/errors.ts';
import { actorOnEngine, openOnDeviceActorEngine } from '../../lib/setup/on-device.ts';
import { prebuiltModelList, webllmWorker } from './webllm-shared.ts';
import { OnDeviceModelState } from './on-device-model.svelte.ts';

/** Where the browser meets the engine; the defaults are the real ones, tests put doubles behind the worker boundary. */
interface LocalActorDeps {
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
export class LocalActorState extends OnDeviceModelState<Actor> {
  #loadedModel = '';
  readonly #deps: Pick<Required<LocalActorDeps>, 'createWorker' | 'storage'>;

  constructor(onActor: (actor: Actor | undefined) => void, deps: LocalActorDeps = {}) {
    super(onActor, { capabilities: deps.probe ?? (() => probeCapabilities()), modelList: deps.modelList ?? prebuiltModelList });
    this.#deps = { createWorker: deps.createWorker ?? webllmWorker, storage: deps.storage ?? {} };
  }

  /** The loaded actor. */
  get actor(): Actor | undefined {
    return this.served;
  }

  /** The model id of the loaded actor. */
  get loadedModel(): string {
    return this.served ? this.#loadedModel : '';
  }

  get modelOptions(): WebLLMModelOption[] {
    return actorModelOptions(this.modelList, { shaderF16: this.caps?.shaderF16 ?? false });
  }

  #newEngine(model: string): Promise<WebLLMEngine> {
    return openOnDeviceActorEngine(model, { webllmWorker: this.#deps.createWorker, webllmStorage: this.#deps.storage });
  }

  load(model: string): Promise<void> {
    return this.loadWith({
      check: async () => {
        await this.probe();
        return this.caps && !this.caps.webgpu ? `${NO_WEBGPU_HELP}${this.caps.webgpuProblem ? ` (${this.caps.webgpuProblem})` : ''}` : undefined;
      },
      open: () => this.#newEngine(model),
      serve: async (engine) => {
        const actor = await actorOnEngine(engine);
        this.#loadedModel = model;
        return actor;
      },
      explain: (err) => explain(err, model),
    });
  }

  /** Deletes the model's weights from browser storage (unloading it first if it is the loaded one). */
  deleteCache(model: string): Promise<void> {
    return this.deleteWith(() => this.#newEngine(model), this.loadedModel === model || this.status === 'loading', `${model}: `);
  }
}
