/// <reference lib="webworker" />
// The UserBench pack worker: fetching, parsing and load_tasks' shuffles over the ~44 MiB of data files run here, off the main thread.
import { browserPackSource, PackWorkerHandler } from '../lib/envs/userbench/pack-worker-handler.ts';
import { workerRecordingFetch } from '../lib/net/worker-requests.ts';

// Every file fetched here shows in "What left this browser".
const fetchPack = workerRecordingFetch('pack', globalThis.fetch.bind(globalThis));

const handler = new PackWorkerHandler({
  post: (message, transfer) => self.postMessage(message, transfer ?? []),
  sourceFor: (location, upstreamData) => browserPackSource(location, upstreamData, fetchPack),
});
self.addEventListener('message', (e) => void handler.handle(e.data));
