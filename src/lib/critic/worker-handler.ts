/**
 * The worker side of the critic protocol, as a plain class: the worker entry
 * files hand it their messages, and tests drive it over a MessageChannel.
 */
import { AbortedError, EngineError, badRequestResponse, toWireError } from '../errors.ts';
import { EngineCritic } from './engine-critic.ts';
import type { CriticEngine, DeleteReport } from '../engines/engine-interface.ts';
import type { TransformersConfig } from '../engines/transformers-options.ts';
import { WorkerRequestSchema, type WorkerRequest, type WorkerResponse } from './worker-protocol.ts';

export interface HandlerDeps {
  createEngine(config: TransformersConfig): CriticEngine;
  post(message: WorkerResponse): void;
  /** Removes the model's files from browser storage; returns how many entries went. */
  deleteModelFiles?(config: TransformersConfig): Promise<number>;
  estimateStorage?(): Promise<{ usage?: number }>;
}

export class CriticWorkerHandler {
  #engine: CriticEngine | undefined;
  #critic: EngineCritic | undefined;
  #config: TransformersConfig | undefined;
  readonly #running = new Map<string, AbortController>();

  constructor(private readonly deps: HandlerDeps) {}

  /** Handles one message; never throws (failures go back as error responses). */
  async handle(data: unknown): Promise<void> {
    const parsed = WorkerRequestSchema.safeParse(data);
    if (!parsed.success) {
      this.deps.post(badRequestResponse(data, parsed.error));
      return;
    }
    const req = parsed.data;
    if (req.type === 'cancel') {
      this.#running.get(req.target)?.abort();
      this.deps.post({ id: req.id, type: 'result', value: null });
      return;
    }
    const ctrl = new AbortController();
    this.#running.set(req.id, ctrl);
    try {
      const value = await this.#run(req, ctrl.signal);
      this.deps.post({ id: req.id, type: 'result', value });
    } catch (err) {
      this.deps.post({ id: req.id, type: 'error', error: toWireError(ctrl.signal.aborted ? new AbortedError() : err) });
    } finally {
      this.#running.delete(req.id);
    }
  }

  async #run(req: Exclude<WorkerRequest, { type: 'cancel' }>, signal: AbortSignal): Promise<unknown> {
    switch (req.type) {
      case 'load': {
        await this.#engine?.unload();
        this.#engine = undefined;
        this.#critic = undefined;
        const engine = this.deps.createEngine(req.config);
        const info = await engine.load((progress) => this.deps.post({ id: req.id, type: 'progress', progress }));
        this.#engine = engine;
        this.#config = req.config;
        this.#critic = new EngineCritic(engine, req.config.maxNewTokens);
        return info;
      }
      case 'judge':
        return await this.#loadedCritic().judgeWithStats(req.input, signal);
      case 'prepare':
        await this.#loadedCritic().prepare(req.input, signal);
        return null;
      case 'generate':
        return await this.#loadedEngine().generate(req.request, signal);
      case 'forget':
        await this.#critic?.forget();
        return null;
      case 'unload':
        await this.#engine?.unload();
        this.#engine = undefined;
        this.#critic = undefined;
        return null;
      case 'deleteCache':
        return await this.#deleteCache(req.config);
    }
  }

  async #deleteCache(requested: TransformersConfig | undefined): Promise<DeleteReport> {
    const config = requested ?? this.#config;
    if (!config) throw new EngineError('engine', 'No model chosen: nothing to delete');
    await this.#engine?.unload();
    this.#engine = undefined;
    this.#critic = undefined;
    const before = await this.deps.estimateStorage?.();
    const deletedEntries = (await this.deps.deleteModelFiles?.(config)) ?? 0;
    const after = await this.deps.estimateStorage?.();
    return {
      deletedEntries,
      ...(before?.usage !== undefined ? { usageBefore: before.usage } : {}),
      ...(after?.usage !== undefined ? { usageAfter: after.usage } : {}),
    };
  }

  #loadedEngine(): CriticEngine {
    if (!this.#engine) throw new EngineError('engine', 'No critic model is loaded');
    return this.#engine;
  }

  #loadedCritic(): EngineCritic {
    if (!this.#critic) throw new EngineError('engine', 'No critic model is loaded');
    return this.#critic;
  }
}
