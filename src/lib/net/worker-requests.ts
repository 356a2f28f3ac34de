/**
 * Model workers make their own requests (weights, tokenizer, model library):
 * they record them with their own RequestLog and post each record on a
 * BroadcastChannel; the page's RequestLog takes them in (validated there).
 */
import { RequestLog, type Purpose } from './request-log.ts';

const REQUESTS_CHANNEL = 'spotter-requests';

/** A recording fetch for use inside a worker; `base` is the worker's own fetch, captured before any patching. */
export function workerRecordingFetch(purpose: Purpose, base: typeof fetch): typeof fetch {
  const channel = new BroadcastChannel(REQUESTS_CHANNEL);
  return new RequestLog(base).fetchFor(purpose, (r) => channel.postMessage(r));
}

/** Feeds records posted by workers into `log`; returns a function that stops listening. */
export function listenToWorkers(log: RequestLog): () => void {
  const channel = new BroadcastChannel(REQUESTS_CHANNEL);
  channel.onmessage = (e: MessageEvent<unknown>) => log.add(e.data);
  return () => channel.close();
}
