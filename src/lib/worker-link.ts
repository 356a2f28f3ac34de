/**
 * The page's side of a request/response worker: ids, pending calls, progress
 * routing, and worker death. If the worker dies, every pending call rejects
 * with EngineError('worker-died') instead of hanging. Used by the critic
 * worker and the UserBench pack worker, whose responses share one shape.
 */
import { EngineError, errorFromWire, type WireError } from './errors.ts';

/** What a link needs of a Worker (a MessagePort also fits, for tests). */
export interface WorkerEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: Event) => void): void;
  terminate?(): void;
}

/** A response, already validated by the caller's schema. */
export type LinkResponse<P> =
  | { id: string; type: 'result'; value: unknown }
  | { id: string; type: 'error'; error: WireError }
  | { id: string; type: 'progress'; progress: P };

export interface PendingCall<P> {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: (p: P) => void;
}

let counter = 0;

export class WorkerLink<P> {
  #dead: EngineError | undefined;
  readonly #pending = new Map<string, PendingCall<P>>();

  /** `name` says which worker in errors ("critic worker"); `parse` validates a message, undefined when it is not one of ours. */
  constructor(
    readonly endpoint: WorkerEndpoint,
    private readonly name: string,
    parse: (data: unknown) => LinkResponse<P> | undefined,
  ) {
    endpoint.addEventListener('message', (e) => {
      const msg = parse(e instanceof MessageEvent ? e.data : undefined);
      if (msg) this.#onMessage(msg);
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
