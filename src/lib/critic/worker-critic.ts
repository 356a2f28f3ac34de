/**
 * The main-thread side of a critic worker: a `Critic` whose every call is a
 * message to the worker. If the worker dies, every pending call rejects with
 * EngineError('worker-died') instead of hanging.
 */
import type { z } from 'zod';
import { AbortedError, EngineError } from '../errors.ts';
import type { Verdict } from '../contracts.ts';
import type { JudgeStats } from './engine-critic.ts';
import type { DeleteReport, EngineLoadInfo, EngineProgress, GenerateRequest, GenerateResult } from '../engines/engine-interface.ts';
import type { PreparedInput } from './prompt.ts';
import type { Critic, CriticInput } from './critic-interface.ts';
import { WorkerLink, type WorkerEndpoint } from '../worker-link.ts';
import type { TransformersConfig } from '../engines/transformers-options.ts';
import type { TransformersWorkerSession } from '../engines/transformers-worker.ts';
import { RESULT_SCHEMAS, WorkerResponseSchema, type WorkerRequest } from './worker-protocol.ts';

export type { WorkerEndpoint } from '../worker-link.ts';

type Body = WorkerRequest extends infer R ? (R extends { id: string } ? Omit<R, 'id'> : never) : never;

/** The critic in the transformers.js worker; also the session its engine (engines/transformers-worker.ts) drives. */
export class WorkerCritic implements Critic, TransformersWorkerSession {
  label = 'in-browser critic (not loaded)';
  loadInfo: EngineLoadInfo | undefined;
  lastStats: JudgeStats | undefined;
  readonly #link: WorkerLink<EngineProgress>;

  constructor(endpoint: WorkerEndpoint) {
    // Not ours (or garbage): ignored; requests time out at the loop's critic timeout.
    this.#link = new WorkerLink(endpoint, 'critic worker', WorkerResponseSchema);
  }

  get contextWindow(): number | undefined {
    return this.loadInfo?.contextWindow;
  }

  get dead(): boolean {
    return this.#link.dead !== undefined;
  }

  async load(config: TransformersConfig, onProgress?: (p: EngineProgress) => void): Promise<EngineLoadInfo> {
    const info = await this.#call({ type: 'load', config }, RESULT_SCHEMAS.load, undefined, onProgress);
    this.loadInfo = info;
    this.label = `transformers:${config.model}`;
    return info;
  }

  async judge(input: CriticInput, signal: AbortSignal): Promise<Verdict> {
    const r = await this.#call({ type: 'judge', input }, RESULT_SCHEMAS.judge, signal);
    this.lastStats = r.stats;
    return r.verdict;
  }

  /** Prefills the prompt up to the proposal in the worker while the actor writes it (see EngineCritic.prepare). */
  async prepare(input: PreparedInput, signal: AbortSignal): Promise<void> {
    await this.#call({ type: 'prepare', input }, RESULT_SCHEMAS.prepare, signal);
  }

  async forget(): Promise<void> {
    await this.#call({ type: 'forget' }, RESULT_SCHEMAS.forget);
  }

  generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    return this.#call({ type: 'generate', request }, RESULT_SCHEMAS.generate, signal);
  }

  async unload(): Promise<void> {
    await this.#call({ type: 'unload' }, RESULT_SCHEMAS.unload);
    this.loadInfo = undefined;
  }

  /** Deletes the files of the given model, or of the loaded one. */
  deleteCache(config?: TransformersConfig): Promise<DeleteReport> {
    return this.#call({ type: 'deleteCache', ...(config ? { config } : {}) }, RESULT_SCHEMAS.deleteCache);
  }

  /** Ends the worker; pending calls reject. */
  dispose(): void {
    this.#link.dispose();
  }

  #call<S extends z.ZodType>(body: Body, schema: S, signal?: AbortSignal, onProgress?: (p: EngineProgress) => void): Promise<z.infer<S>> {
    if (signal?.aborted) return Promise.reject(new AbortedError());
    return new Promise<z.infer<S>>((resolve, reject) => {
      const onAbort = () => {
        this.#link.forget(id);
        this.#link.endpoint.postMessage({ id: `${id}-cancel`, type: 'cancel', target: id });
        reject(new AbortedError());
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      const id = this.#link.send(body, {
        resolve: (value) => {
          done();
          const r = schema.safeParse(value);
          if (r.success) resolve(r.data);
          else reject(new EngineError('engine', `Unexpected ${body.type} result from the critic worker: ${r.error.issues[0]?.message ?? ''}`));
        },
        reject: (err) => {
          done();
          reject(err);
        },
        ...(onProgress ? { onProgress } : {}),
      });
      if (!this.#link.dead) signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
