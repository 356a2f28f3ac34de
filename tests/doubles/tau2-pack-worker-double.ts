/**
 * The τ³ pack worker for Node tests (Node has no Web Worker): the real
 * handler on the far side of a MessageChannel, so messages are structured-
 * cloned and the buffer transferred as between a page and its worker, reading
 * its files through `fetchFn`.
 */
import { MessageChannel } from 'node:worker_threads';
import { browserTau2Source, Tau2PackWorkerHandler } from '../../src/lib/envs/tau2/pack-worker-handler.ts';
import type { WorkerEndpoint } from '../../src/lib/worker-link.ts';

export function tau2PackWorkerDouble(fetchFn: typeof fetch): WorkerEndpoint {
  const { port1, port2 } = new MessageChannel();
  const handler = new Tau2PackWorkerHandler({ post: (m, transfer) => port2.postMessage(m, transfer ?? []), sourceFor: (location) => browserTau2Source(location, fetchFn) });
  port2.on('message', (data: unknown) => void handler.handle(data));
  // Open ports must not keep a test process alive.
  port1.unref();
  port2.unref();
  return {
    postMessage: (message) => port1.postMessage(message),
    addEventListener: (type, listener) => port1.addEventListener(type, listener),
    terminate: () => {
      port1.close();
      port2.close();
    },
  };
}
