/**
 * Stands in for the transformers.js Web Worker under Node: a MessageChannel with
 * the real worker handler and engine (the tiny generated model) on the far side.
 * Model-file deletion is doubled: each delete frees `freed` bytes in `files` files
 * and is recorded in `storage`.
 */
import { resolve } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { CriticWorkerHandler } from '../../src/lib/critic/worker-handler.ts';
import { TransformersEngine } from '../../src/lib/engines/transformers.ts';

export const TINY_MODELS = `${resolve(import.meta.dirname, '../../.fixtures/models')}/`;

export interface ModelStorageState {
  usage: number;
  deleted: string[];
}

/** A factory of worker ports, as the app's `new Worker(...)`; every port it makes is pushed to `ports` for closing. */
export function transformersWorkerChannelDouble(ports: MessagePort[], storage: ModelStorageState, perDelete: { freed: number; files: number }): () => MessagePort {
  return () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    const handler = new CriticWorkerHandler({
      createEngine: (c) => new TransformersEngine({ ...c, localModelPath: TINY_MODELS }),
      post: (m) => port2.postMessage(m),
      estimateStorage: async () => ({ usage: storage.usage }),
      deleteModelFiles: async (c) => {
        storage.deleted.push(c.model);
        storage.usage -= perDelete.freed;
        return perDelete.files;
      },
    });
    port2.on('message', (data: unknown) => void handler.handle(data));
    return port1;
  };
}
