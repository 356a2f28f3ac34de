/// <reference lib="webworker" />
// The exam worker: the historical GPT-4o file (4 MB) is parsed and the exam sets built here, off the main thread.
import { formatBytes } from '../lib/format-bytes.ts';
import { defaultHistoricalOrigins, loadHistoricalFile } from '../lib/envs/tau-bench/historical.ts';
import { filesPackSource, httpPackSource } from '../lib/envs/tau-bench/pack.ts';
import { ExamWorkerHandler } from '../lib/exam/worker-handler.ts';
import { workerRecordingFetch } from '../lib/net/worker-requests.ts';

// Every file fetched here shows in "What left this browser".
const fetchPack = workerRecordingFetch('pack', globalThis.fetch.bind(globalThis));

const handler = new ExamWorkerHandler({
  post: (message) => self.postMessage(message),
  packSource: (l) => (l.kind === 'url' ? httpPackSource(l.baseUrl, fetchPack) : filesPackSource(l.files)),
  historical: async (l, onProgress) => {
    const origins = l.kind === 'url' ? defaultHistoricalOrigins(l.baseUrl) : [{ kind: 'files' as const, files: l.files }, { kind: 'upstream' as const }];
    const { text } = await loadHistoricalFile(origins, {
      fetchFn: fetchPack,
      onProgress: (t) =>
        onProgress({
          text: `The 200 GPT-4o episodes: ${formatBytes(t.loaded)}${t.total ? ` of ${formatBytes(t.total)}` : ''}`,
          ...(t.total ? { fraction: Math.min(1, t.loaded / t.total) } : {}),
        }),
    });
    return text;
  },
});
self.addEventListener('message', (e) => void handler.handle(e.data));
