/**
 * The transformers.js worker as an on-device engine: the lifecycle the app
 * holds (load, unload, delete) over a session with the worker, whatever else
 * that session does (the critic judges through it). The worker goes with the
 * model: unloading ends the session, the next load starts a new one.
 */
import type { TransformersConfig } from './transformers-options.ts';
import { deleteReport, type DeleteReport, type EngineLoadInfo, type EngineProgress, type OnDeviceEngine } from './engine-interface.ts';

/** What the engine asks of its session with the worker. */
export interface TransformersWorkerSession {
  readonly contextWindow: number | undefined;
  load(config: TransformersConfig, onProgress?: (p: EngineProgress) => void): Promise<EngineLoadInfo>;
  deleteCache(config?: TransformersConfig): Promise<DeleteReport>;
  /** Ends the worker. */
  dispose(): void;
}

export class TransformersWorkerEngine<Session extends TransformersWorkerSession = TransformersWorkerSession> implements OnDeviceEngine {
  readonly kind = 'transformers' as const;
  #session: Session | undefined;

  constructor(
    readonly config: TransformersConfig,
    private readonly openSession: () => Session,
  ) {}

  get model(): string {
    return this.config.model;
  }

  get contextWindow(): number | undefined {
    return this.#session?.contextWindow;
  }

  /** The session with this engine's worker; started on first use. */
  get session(): Session {
    return (this.#session ??= this.openSession());
  }

  load(onProgress: (p: EngineProgress) => void): Promise<EngineLoadInfo> {
    return this.session.load(this.config, onProgress);
  }

  async unload(): Promise<void> {
    this.#session?.dispose();
    this.#session = undefined;
  }

  async deleteCache(): Promise<DeleteReport> {
    const r = await this.session.deleteCache(this.config);
    await this.unload();
    return deleteReport({ usage: r.usageBefore }, { usage: r.usageAfter }, r.deletedEntries);
  }
}
