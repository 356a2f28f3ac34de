/**
 * The page's thread while a τ³ domain loads, in Chromium: a timer heartbeat
 * runs between the page's other tasks, so the longest gap between two beats
 * is the longest task that held the thread (±4 ms, the timers' clamp); the
 * Long Tasks API adds the time in tasks of 50 ms or more. Measured for the load on the page itself
 * (`loadTau2Pack`, as before the pack worker), through the pack worker (what
 * the app does), and through a worker that posts the parsed pack by structured
 * clone (the alternative not taken: the clone is deserialized in one task on the
 * page, and PyFloat would still need rebuilding), each round in a fresh page.
 * Under the dev server every module is its own request: the time until the
 * pack is ready includes loading the port's modules, on the page or in the worker.
 */
import type { Tau2Domain } from '../src/lib/envs/tau2/domains.ts';
// Loaded with the page in the app too (it holds no τ³ code: the client and the port load with the first pick).
import { Tau2Packs } from '../src/ui/state/tau2.svelte.ts';

/** `page`: loadTau2Pack on the page (before the pack worker); `worker`: the pack worker; `clone`: a worker posting the parsed pack by structured clone (not taken). */
export type Tau2LoadWay = 'page' | 'worker' | 'clone';

export interface Tau2LoadBench {
  way: Tau2LoadWay;
  domain: Tau2Domain;
  /** From the request to the pack in hand (its first environment made). */
  wallMs: number;
  /** The longest task on the page's thread meanwhile. */
  longestMs: number;
  /** Time in tasks of 50 ms or more (Long Tasks API) and how many. */
  longTasksMs: number;
  longTasks: number;
  tasks: number;
}

export async function benchTau2Load(way: Tau2LoadWay, domain: Tau2Domain, baseUrl: string): Promise<Tau2LoadBench> {
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  });
  observer.observe({ type: 'longtask' });
  // A timer chain, not a busy MessageChannel loop: on a 2-core machine a loop that never sleeps takes a core from the
  // worker and gets the page's thread descheduled, which would read as long tasks. Timers clamp to ~4 ms: gaps are ±4 ms.
  let last = performance.now();
  let longest = 0;
  let running = true;
  const beat = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setTimeout(beat, 0);
  };
  setTimeout(beat, 0);
  const t0 = performance.now();
  let tasks: number;
  // As the app does, the page loads the τ³ code with the first pick (the port, or the worker's client).
  if (way === 'page') {
    const [{ loadTau2Pack }, { httpPackSource }] = await Promise.all([import('../src/lib/envs/tau2/pack.ts'), import('../src/lib/envs/tau-bench/pack.ts')]);
    const pack = await loadTau2Pack(httpPackSource(baseUrl), domain);
    pack.makeEnv();
    tasks = pack.tasks.length;
  } else if (way === 'clone') {
    const worker = new Worker(new URL('./tau2-clone.worker.ts', import.meta.url), { type: 'module' });
    const posted = await new Promise<unknown>((resolve) => {
      worker.onmessage = (e: MessageEvent<unknown>) => resolve(e.data);
      worker.postMessage({ baseUrl });
    });
    worker.terminate();
    const list: unknown = Reflect.get(Object(posted), 'tasks');
    tasks = Array.isArray(list) ? list.length : 0;
  } else {
    // The app's own loader (its worker ends with the page).
    const pack = await new Tau2Packs().pack({ kind: 'url', baseUrl }, domain);
    pack.makeEnv();
    tasks = pack.tasks.length;
  }
  const wallMs = performance.now() - t0;
  // One more beat, so a task that ran up to the end is counted.
  await new Promise((r) => setTimeout(r, 60));
  running = false;
  observer.takeRecords().forEach((e) => longTasks.push(e.duration));
  observer.disconnect();
  return { way, domain, wallMs, longestMs: longest, longTasksMs: longTasks.reduce((a, b) => a + b, 0), longTasks: longTasks.length, tasks };
}
