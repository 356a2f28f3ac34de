/// <reference lib="webworker" />
// The transformers.js critic's worker: all model work happens here, off the main thread.
import { env } from '@huggingface/transformers';
import { deleteTransformersModelFiles, TransformersEngine } from '../lib/engines/transformers.ts';
import { CriticWorkerHandler } from '../lib/critic/worker-handler.ts';
import { workerRecordingFetch } from '../lib/net/worker-requests.ts';

// transformers.js points onnxruntime at a CDN; an empty setting makes onnxruntime use its own bundled loader
// and the wasm file Vite ships next to this worker (once, under whatever path the app is served from).
if (env.backends.onnx.wasm) env.backends.onnx.wasm.wasmPaths = {};
// Every fetch made here (model files, onnxruntime's wasm) shows in "What left this browser".
globalThis.fetch = workerRecordingFetch('model download', globalThis.fetch.bind(globalThis));
env.fetch = globalThis.fetch;

const handler = new CriticWorkerHandler({
  createEngine: (config) => new TransformersEngine(config),
  post: (message) => self.postMessage(message),
  deleteModelFiles: (config) => deleteTransformersModelFiles(config.model),
  estimateStorage: () => navigator.storage.estimate(),
});
self.addEventListener('message', (e) => void handler.handle(e.data));
