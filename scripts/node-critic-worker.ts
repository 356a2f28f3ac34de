/**
 * The transformers.js critic's "worker" on Node, for the command line: the
 * real worker handler and engine (src/workers/transformers.worker.ts's parts)
 * behind a MessageChannel, so the CLI opens on-device critics through the same
 * factory path (openOnDeviceCritic) as the app. Model work stays in this
 * thread; onnxruntime-node runs its own threads.
 */
import { MessageChannel } from 'node:worker_threads';
import { CriticWorkerHandler } from '../src/lib/critic/worker-handler.ts';
import type { WorkerEndpoint } from '../src/lib/critic/worker-critic.ts';
import { TransformersEngine } from '../src/lib/engines/transformers.ts';

export function nodeTransformersWorker(): WorkerEndpoint {
  const { port1, port2 } = new MessageChannel();
  const handler = new CriticWorkerHandler({
    createEngine: (config) => new TransformersEngine(config),
    post: (m) => port2.postMessage(m),
  });
  port2.on('message', (data: unknown) => void handler.handle(data));
  return {
    postMessage: (m) => port1.postMessage(m),
    addEventListener: (type, listener) => port1.addEventListener(type, listener),
    terminate: () => {
      port1.close();
      port2.close();
    },
  };
}
