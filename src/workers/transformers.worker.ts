/// <reference lib="webworker" />
// The transformers.js critic's worker: all model work happens here, off the main thread.
import { deleteTransformersModelFiles, TransformersEngine } from '../lib/critic/engines/transformers.ts';
import { CriticWorkerHandler } from '../lib/critic/worker-handler.ts';

const handler = new CriticWorkerHandler({
  createEngine: (config) => new TransformersEngine({ ortWasmPrefix: '/ort/', ...config }),
  post: (message) => self.postMessage(message),
  deleteModelFiles: (config) => deleteTransformersModelFiles(config.model),
  estimateStorage: () => navigator.storage.estimate(),
});
self.addEventListener('message', (e) => void handler.handle(e.data));
