/// <reference lib="webworker" />
// The τ³ pack worker: fetching, parsing and validating a domain's files (airline's db.json is 7 MB) run here, off the main thread.
import { browserTau2Source, Tau2PackWorkerHandler } from '../lib/envs/tau2/pack-worker-handler.ts';
import { workerRecordingFetch } from '../lib/net/worker-requests.ts';

// Every file fetched here shows in "What left this browser".
const fetchPack = workerRecordingFetch('pack', globalThis.fetch.bind(globalThis));

const handler = new Tau2PackWorkerHandler({
  post: (message, transfer) => self.postMessage(message, transfer ?? []),
  sourceFor: (location) => browserTau2Source(location, fetchPack),
});
self.addEventListener('message', (e) => void handler.handle(e.data));
