import type { ModelRecord } from '@mlc-ai/web-llm';
import type { Capabilities } from '../../lib/engines/capabilities.ts';
import { deleteReportText, type EngineLoadInfo, type EngineProgress, type OnDeviceEngine } from '../../lib/engines/engine-interface.ts';
import { errorMessage } from '../../lib/errors.ts';

type ModelStatus = 'idle' | 'loading' | 'ready' | 'error';

/** How one load goes: the checks before it, the engine and what it serves, and how its failures read. */
interface LoadPlan<E extends OnDeviceEngine, T> {
  /** Runs before any engine is made; a message stops the load with that error (no worker started). */
  check?: () => Promise<string | undefined>;
  open: () => Promise<E>;
  /** What the loaded engine serves to the app (the critic, the actor). */
  serve: (engine: E) => T | undefined | Promise<T | undefined>;
  onProgress?: (p: EngineProgress) => void;
  /** A failure in words a person can act on (default: the error's message). */
  explain?: (err: unknown) => string;
}

/** How the browser is checked before a model is picked: its GPU's capabilities, and web-llm's model list. */
interface ModelProbes {
  capabilities: () => Promise<Capabilities>;
  modelList: () => Promise<readonly ModelRecord[]>;
}

/**
 * One on-device model's lifecycle, the one way, for the in-browser critic and
 * the in-browser actor alike: status, progress, error, load, unload and cache
 * deletion, and what the loaded engine serves, handed to the app through
 * `onServed`. The load/unload race is guarded here once: every load and unload
 * starts a new generation, and a load that an unload (or a newer load)
 * overtook unloads its engine and hands nothing over.
 */
export class OnDeviceModelState<T> {
  status = $state<ModelStatus>('idle');
  progress = $state.raw<EngineProgress | undefined>(undefined);
  error = $state('');
  /** What the last cache deletion freed, in words. */
  freed = $state('');
  loadInfo = $state.raw<EngineLoadInfo | undefined>(undefined);
  /** What the loaded model serves; undefined unless `status` is 'ready'. */
  served = $state.raw<T | undefined>(undefined);
  caps = $state.raw<Capabilities | undefined>(undefined);
  /** web-llm's prebuilt list; web-llm (several MB) is loaded only when it is asked for. */
  modelList = $state.raw<readonly ModelRecord[]>([]);

  #engine: OnDeviceEngine | undefined;
  #generation = 0;
  #probing: Promise<void> | undefined;

  constructor(
    private readonly onServed: (served: T | undefined) => void,
    private readonly probes: ModelProbes,
  ) {}

  /** Checks the browser and reads web-llm's list, once; nothing is downloaded. A failure is shown, and the next call tries again. */
  probe(): Promise<void> {
    this.#probing ??= (async () => {
      this.caps = await this.probes.capabilities();
      this.modelList = await this.probes.modelList();
    })().catch((err: unknown) => {
      this.#probing = undefined;
      this.error = errorMessage(err);
    });
    return this.#probing;
  }

  /** Loads per `plan`, after releasing any loaded model; resolves once loaded, failed or overtaken. */
  async loadWith<E extends OnDeviceEngine>(plan: LoadPlan<E, T>): Promise<void> {
    const generation = ++this.#generation;
    const current = (): boolean => generation === this.#generation;
    await this.#release();
    this.error = '';
    this.freed = '';
    const refused = await plan.check?.();
    if (!current()) return;
    if (refused !== undefined) {
      this.status = 'error';
      this.error = refused;
      return;
    }
    this.status = 'loading';
    let engine: E | undefined;
    try {
      engine = await plan.open();
      if (!current()) {
        await engine.unload().catch(() => undefined);
        return;
      }
      this.#engine = engine;
      const info = await engine.load((p) => {
        if (!current()) return;
        this.progress = p;
        plan.onProgress?.(p);
      });
      const served = current() ? await plan.serve(engine) : undefined;
      if (!current() || served === undefined) {
        await engine.unload().catch(() => undefined);
        return;
      }
      this.loadInfo = info;
      this.served = served;
      this.status = 'ready';
      this.onServed(served);
    } catch (err) {
      await engine?.unload().catch(() => undefined);
      if (!current()) return;
      this.#engine = undefined;
      this.status = 'error';
      this.error = plan.explain ? plan.explain(err) : errorMessage(err);
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
    if (this.served !== undefined) this.onServed(undefined);
    this.served = undefined;
    this.loadInfo = undefined;
    this.status = 'idle';
    this.progress = undefined;
    await engine?.unload().catch(() => undefined);
  }

  /** Deletes a model's files from browser storage through an engine `open` makes (unloading the loaded model first when `unloadFirst`). */
  async deleteWith(open: () => Promise<OnDeviceEngine>, unloadFirst: boolean, prefix = ''): Promise<void> {
    this.error = '';
    this.freed = '';
    try {
      if (unloadFirst) await this.unload();
      this.freed = `${prefix}${deleteReportText(await (await open()).deleteCache())}`;
    } catch (err) {
      this.error = errorMessage(err);
    }
  }
}
