/// <reference lib="webworker" />
// web-llm's own handler (plus a token-count message, webllm-tokens.ts): the MLC engine (weights, WebGPU, decoding) lives in this worker.
import { CountingWebLLMHandler } from '../lib/engines/webllm-tokens.ts';
import { routeCacheAddThrough } from '../lib/net/cache-add.ts';
import { workerRecordingFetch } from '../lib/net/worker-requests.ts';

// Every fetch web-llm makes here shows in "What left this browser", and so does every
// download its Cache Storage backend makes with Cache.add (which bypasses fetch).
globalThis.fetch = workerRecordingFetch('model download', globalThis.fetch.bind(globalThis));
routeCacheAddThrough(globalThis.fetch, Cache.prototype);

const handler = new CountingWebLLMHandler();
self.onmessage = (msg: MessageEvent) => handler.onmessage(msg);
