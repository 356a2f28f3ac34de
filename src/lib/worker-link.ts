/**
 * The page's side of a request/response worker: ids, pending calls, progress
 * routing, and worker death. If the worker dies, every pending call rejects
 * with EngineError('worker-died') instead of hanging. Used by the critic
 * worker, the UserBench pack worker and the exam worker, whose responses
 * share one shape (linkResponseSchema).
 */
import { z } from 'zod';
import { EngineError, errorFromWire, WireErrorSchema, type WireError } from './errors.ts';

/** What a link needs of a Worker (a MessagePort also fits, for tests). */
export interface WorkerEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: Event) => void): void;
  terminate?(): void;
}

/** A response, validated by the worker's linkResponseSchema. */
type LinkResponse<P> =
  | { id: string; type: 'result'; value: unknown }
  | { id: string; type: 'error'; error: WireError }
  | { id: string; type: 'progress'; progress: P };

/**
 * Every worker's responses, given its progress payload: a result (checked by
 * the page against the request's own result schema), an error, or progress.
 */
export function linkResponseSchema<P>(progress: z.ZodType<P>): z.ZodType<LinkResponse<P>> {
  const id = z.string().min(1);
  return z.discriminatedUnion('type', [
    z.object({ id, type: z.literal('result'), value: z.unknown() }),
    z.object({ id, type: z.literal('error'), error: WireErrorSchema }),
    z.object({ id, type: z.literal('progress'), progress }),
  ]);
}

interface PendingCall<P> {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: (p: P) => void;
}

let counter = 0;

export class WorkerLink<P> {
  #dead: EngineError | undefined;
  readonly #pending = new Map<string, PendingCall<P>>();

  /** `name` says which worker in errors ("critic worker"); `responses` (linkResponseSchema) validates each message: one that fails it is not ours and is ignored. */
  constructor(
    readonly endpoint: WorkerEndpoint,
    private readonly name: string,
    responses: z.ZodType<LinkResponse<P>>,
  ) {
    endpoint.addEventListener('message', (e) => {
      const msg = responses.safeParse(e instanceof MessageEvent ? e.data : undefined);
      if (msg.success) this.#onMessage(msg.data);
    });
    endpoint.addEventListener('messageerror', () => this.#die(`A message from the ${name} could not be read`));
    endpoint.addEventListener('error', (e) => {
      // ErrorEvent exists in browsers only; read its message without depending on the class.
      const detail: unknown = Reflect.get(e, 'message');
      this.#die(`The ${name} crashed${typeof detail === 'string' && detail ? `: ${detail}` : ''}`);
    });
  }

  /** Why the worker is gone, or undefined while it runs. */
  get dead(): EngineError | undefined {
    return this.#dead;
  }

  /** Posts `body` under a fresh id and routes its answer to `pending`; returns the id (to cancel or forget it). */
  send(body: object, pending: PendingCall<P>): string {
    const id = `w${++counter}`;
    if (this.#dead) {
      pending.reject(this.#dead);
      return id;
    }
    this.#pending.set(id, pending);
    this.endpoint.postMessage({ id, ...body });
    return id;
  }

  /** Sends `body` and resolves with its result as `toResult` reads it (a result schema, a decoder); one it refuses rejects the call. */
  call<T>(body: object, toResult: (value: unknown) => T | Promise<T>, onProgress?: (p: P) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const settle = (value: unknown): void => {
        try {
          Promise.resolve(toResult(value)).then(resolve, reject);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      };
      this.send(body, { resolve: settle, reject, ...(onProgress ? { onProgress } : {}) });
    });
  }

  /** Stops routing answers for `id` (a cancelled call). */
  forget(id: string): void {
    this.#pending.delete(id);
  }

  /** Ends the worker; pending calls reject. */
  dispose(): void {
    this.endpoint.terminate?.();
    this.#die(`The ${this.name} was stopped`);
  }

  #onMessage(msg: LinkResponse<P>): void {
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
