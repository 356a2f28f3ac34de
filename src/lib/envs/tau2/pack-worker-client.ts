/**
 * The page's side of the τ³ pack worker: `load` posts a request and resolves
 * with the pack, reporting byte progress on the way. If the worker dies, every
 * pending load rejects with EngineError('worker-died') instead of hanging.
 */
import { WorkerLink, type WorkerEndpoint } from '../../worker-link.ts';
import type { Tau2Domain } from './domains.ts';
import type { Tau2LoadProgress, Tau2Pack } from './pack.ts';
import { packFromPosted } from './pack-wire.ts';
import { Tau2PackWorkerResponseSchema, type Tau2PackLocation } from './pack-worker-protocol.ts';

export class Tau2PackWorkerClient {
  readonly #link: WorkerLink<Tau2LoadProgress>;

  constructor(endpoint: WorkerEndpoint) {
    this.#link = new WorkerLink(endpoint, 'τ³ pack worker', Tau2PackWorkerResponseSchema);
  }

  get dead(): boolean {
    return this.#link.dead !== undefined;
  }

  load(location: Tau2PackLocation, domain: Tau2Domain, onProgress?: (p: Tau2LoadProgress) => void): Promise<Tau2Pack> {
    return this.#link.call({ type: 'load', location, domain }, (value) => packFromPosted(value), onProgress);
  }

  /** Ends the worker; pending loads reject. */
  dispose(): void {
    this.#link.dispose();
  }
}
