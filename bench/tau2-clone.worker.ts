/// <reference lib="webworker" />
// Bench only (bench/tau2-load.ts): the alternative the pack worker does not take, posting the parsed and validated
// τ³ pack as it is (Maps, PyFloat objects) by structured clone, so its cost on the page's thread can be measured.
import { httpPackSource } from '../src/lib/envs/tau-bench/pack.ts';
import { loadTau2PackData } from '../src/lib/envs/tau2/pack.ts';

self.addEventListener('message', (e: MessageEvent<{ baseUrl: string }>) => {
  void loadTau2PackData(httpPackSource(e.data.baseUrl), 'airline').then(({ rawTasks, dbs, tasks }) => self.postMessage({ rawTasks, dbs, tasks }));
});
