/**
 * The page's side of the UserBench pack worker: `load` posts a request and
 * resolves with the pack, reporting progress on the way. If the worker dies,
 * every pending load rejects with EngineError('worker-died') instead of hanging.
 */
import { EngineError, errorFromWire } from '../../errors.ts';
import type { WorkerEndpoint } from '../../critic/worker-critic.ts';
import type { PackLoadProgress, UserBenchPack } from './pack.ts';
import { packFromPosted } from './pack-wire.ts';
import { PackWorkerResponseSchema, type PackWorkerRequest } from './pack-worker-protocol.ts';

interface Pending {
  resolve(pack: UserBenchPack): void;
  reject(err: Error): void;
  onProgress?: (p: PackLoadProgress) => void;
}

let counter = 0;

export class PackWorkerClient {
  #dead: EngineError | undefined;
  readonly #pending = new Map<string, Pending>();

  constructor(private readonly endpoint: WorkerEndpoint) {
    endpoint.addEventListener('message', (e) => this.#onMessage(e));
    endpoint.addEventListener('messageerror', () => this.#die('A message from the UserBench pack worker could not be read'));
    endpoint.addEventListener('error', (e) => {
      const detail: unknown = Reflect.get(e, 'message');
      this.#die(`The UserBench pack worker crashed${typeof detail === 'string' && detail ? `: ${detail}` : ''}`);
    });
  }

  get dead(): boolean {
    return this.#dead !== undefined;
  }

  load(request: Omit<PackWorkerRequest, 'id' | 'type'>, onProgress?: (p: PackLoadProgress) => void): Promise<UserBenchPack> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = `ub${++counter}`;
    return new Promise<UserBenchPack>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, ...(onProgress ? { onProgress } : {}) });
      this.endpoint.postMessage({ id, type: 'load', ...request });
    });
  }

  /** Ends the worker; pending loads reject. */
  dispose(): void {
    this.endpoint.terminate?.();
    this.#die('The UserBench pack worker was stopped');
  }

  #onMessage(e: Event): void {
    const data: unknown = e instanceof MessageEvent ? e.data : undefined;
    const r = PackWorkerResponseSchema.safeParse(data);
    if (!r.success) return;
    const msg = r.data;
    const p = this.#pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress?.(msg.progress);
      return;
    }
    this.#pending.delete(msg.id);
    if (msg.type === 'error') {
      p.reject(errorFromWire(msg.error));
      return;
    }
    packFromPosted(msg.value).then(p.resolve, p.reject);
  }

  #die(message: string): void {
    this.#dead ??= new EngineError('worker-died', message);
    const dead = this.#dead;
    for (const p of this.#pending.values()) p.reject(dead);
    this.#pending.clear();
  }
}
