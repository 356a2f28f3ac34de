/**
 * The main-thread side of a critic worker: a `Critic` whose every call is a
 * message to the worker. If the worker dies, every pending call rejects with
 * EngineError('worker-died') instead of hanging.
 */
import type { z } from 'zod';
import { AbortedError, EngineError, errorFromWire } from '../errors.ts';
import type { Verdict } from '../types.ts';
import type { JudgeStats } from './engine-critic.ts';
import type { EngineLoadInfo, EngineProgress, GenerateRequest, GenerateResult } from './engines/types.ts';
import type { PreparedInput } from './incremental-prompt.ts';
import type { Critic, CriticInput } from './types.ts';
import {
  RESULT_SCHEMAS,
  WorkerResponseSchema,
  type DeleteCacheResult,
  type TransformersConfig,
  type WorkerRequest,
  type WorkerRequestType,
} from './worker-protocol.ts';

/** What WorkerCritic needs of a Worker (a MessagePort also fits, for tests). */
export interface WorkerEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: Event) => void): void;
  terminate?(): void;
}

interface Pending {
  type: WorkerRequestType;
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: (p: EngineProgress) => void;
}

type Body = WorkerRequest extends infer R ? (R extends { id: string } ? Omit<R, 'id'> : never) : never;

let counter = 0;

export class WorkerCritic implements Critic {
  label = 'in-browser critic (not loaded)';
  loadInfo: EngineLoadInfo | undefined;
  lastStats: JudgeStats | undefined;
  #dead: EngineError | undefined;
  readonly #pending = new Map<string, Pending>();

  constructor(private readonly endpoint: WorkerEndpoint) {
    endpoint.addEventListener('message', (e) => this.#onMessage(e));
    endpoint.addEventListener('messageerror', () => this.#die('A message from the critic worker could not be read'));
    endpoint.addEventListener('error', (e) => {
      // ErrorEvent exists in browsers only; read its message without depending on the class.
      const detail: unknown = Reflect.get(e, 'message');
      this.#die(`The critic worker crashed${typeof detail === 'string' && detail ? `: ${detail}` : ''}`);
    });
  }

  get contextWindow(): number | undefined {
    return this.loadInfo?.contextWindow;
  }

  get dead(): boolean {
    return this.#dead !== undefined;
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

  generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    return this.#call({ type: 'generate', request }, RESULT_SCHEMAS.generate, signal);
  }

  async unload(): Promise<void> {
    await this.#call({ type: 'unload' }, RESULT_SCHEMAS.unload);
    this.loadInfo = undefined;
  }

  /** Deletes the files of the given model, or of the loaded one. */
  deleteCache(config?: TransformersConfig): Promise<DeleteCacheResult> {
    return this.#call({ type: 'deleteCache', ...(config ? { config } : {}) }, RESULT_SCHEMAS.deleteCache);
  }

  /** Ends the worker; pending calls reject. */
  dispose(): void {
    this.endpoint.terminate?.();
    this.#die('The critic worker was stopped');
  }

  #call<S extends z.ZodType>(body: Body, schema: S, signal?: AbortSignal, onProgress?: (p: EngineProgress) => void): Promise<z.infer<S>> {
    if (this.#dead) return Promise.reject(this.#dead);
    if (signal?.aborted) return Promise.reject(new AbortedError());
    const id = `c${++counter}`;
    return new Promise<z.infer<S>>((resolve, reject) => {
      const onAbort = () => {
        this.#pending.delete(id);
        this.endpoint.postMessage({ id: `${id}-cancel`, type: 'cancel', target: id });
        reject(new AbortedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.#pending.set(id, {
        type: body.type,
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
      this.endpoint.postMessage({ id, ...body });
    });
  }

  #onMessage(e: Event): void {
    const data: unknown = e instanceof MessageEvent ? e.data : undefined;
    const r = WorkerResponseSchema.safeParse(data);
    if (!r.success) return; // not ours (or garbage): requests time out at the loop's critic timeout
    const msg = r.data;
    const p = this.#pending.get(msg.id);
    if (!p) return; // answered after a cancel
    if (msg.type === 'progress') {
      p.onProgress?.(msg.progress);
      return;
    }
    this.#pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.value);
    else p.reject(errorFromWire(msg.error));
  }

  #die(message: string): void {
    this.#dead ??= new EngineError('worker-died', message);
    const dead = this.#dead;
    for (const p of this.#pending.values()) p.reject(dead);
    this.#pending.clear();
  }
}
