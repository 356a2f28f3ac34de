/**
 * The page's side of the UserBench pack worker: `load` posts a request and
 * resolves with the pack, reporting progress on the way. If the worker dies,
 * every pending load rejects with EngineError('worker-died') instead of hanging.
 */
import { WorkerLink, type WorkerEndpoint } from '../../worker-link.ts';
import type { PackLoadProgress, UserBenchPack } from './pack.ts';
import { packFromPosted } from './pack-wire.ts';
import { PackWorkerResponseSchema, type PackWorkerRequest } from './pack-worker-protocol.ts';

export class PackWorkerClient {
  readonly #link: WorkerLink<PackLoadProgress>;

  constructor(endpoint: WorkerEndpoint) {
    this.#link = new WorkerLink(endpoint, 'UserBench pack worker', PackWorkerResponseSchema);
  }

  get dead(): boolean {
    return this.#link.dead !== undefined;
  }

  load(request: Omit<PackWorkerRequest, 'id' | 'type'>, onProgress?: (p: PackLoadProgress) => void): Promise<UserBenchPack> {
    return this.#link.call({ type: 'load', ...request }, packFromPosted, onProgress);
  }

  /** Ends the worker; pending loads reject. */
  dispose(): void {
    this.#link.dispose();
  }
}
