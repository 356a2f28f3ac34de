/// <reference lib="webworker" />
// web-llm's own handler: the MLC engine (weights, WebGPU, decoding) lives in this worker.
import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';
import { workerRecordingFetch } from '../lib/net/workerRequests.ts';

// Every fetch web-llm makes here shows in "What left this browser".
globalThis.fetch = workerRecordingFetch('model download', globalThis.fetch.bind(globalThis));

const handler = new WebWorkerMLCEngineHandler();
self.onmessage = (msg: MessageEvent) => handler.onmessage(msg);
