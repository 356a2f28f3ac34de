/// <reference lib="webworker" />
// web-llm's own handler: the MLC engine (weights, WebGPU, decoding) lives in this worker.
import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';

const handler = new WebWorkerMLCEngineHandler();
self.onmessage = (msg: MessageEvent) => handler.onmessage(msg);
