/// <reference lib="webworker" />
// The transformers.js critic's worker: all model work happens here, off the main thread.
import { env } from '@huggingface/transformers';
import { deleteTransformersModelFiles, TransformersEngine } from '../lib/critic/engines/transformers.ts';
import { CriticWorkerHandler } from '../lib/critic/worker-handler.ts';

// transformers.js points onnxruntime at a CDN; an empty setting makes onnxruntime use its own bundled loader
// and the wasm file Vite ships next to this worker (once, under whatever path the app is served from).
if (env.backends.onnx.wasm) env.backends.onnx.wasm.wasmPaths = {};

const handler = new CriticWorkerHandler({
  createEngine: (config) => new TransformersEngine(config),
  post: (message) => self.postMessage(message),
  deleteModelFiles: (config) => deleteTransformersModelFiles(config.model),
  estimateStorage: () => navigator.storage.estimate(),
});
self.addEventListener('message', (e) => void handler.handle(e.data));
