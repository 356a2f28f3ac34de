/**
 * Tau2Packs, the app's τ³ pack loader, over the real pack worker handler on a
 * MessageChannel: one load per source and domain whoever asks (Chat, a run, its
 * export), byte progress while it runs, and a worker that dies at start rejects
 * the load (it never hangs) and is replaced by the next load.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tau2PackWorkerDouble } from '../../../tests/doubles/tau2-pack-worker-double.ts';
import type { Tau2LoadProgress } from '../../lib/envs/tau2/pack.ts';
import type { WorkerEndpoint } from '../../lib/worker-link.ts';
import { Tau2Choice, Tau2Packs } from './tau2.svelte.ts';

const SERVED = resolve(import.meta.dirname, '../../../../shared/tau2-bench');
const BASE = 'http://127.0.0.1:5173/tau2-bench/';

function servedDouble(urls: string[]): typeof fetch {
  return (input) => {
    const url = String(input);
    urls.push(url);
    const body = readFileSync(resolve(SERVED, url.replace(BASE, '')));
    return Promise.resolve(new Response(body, { headers: { 'content-length': String(body.byteLength) } }));
  };
}

/** A worker whose script fails to load: it reports an error before anyone asked it anything. */
class DeadWorkerDouble extends EventTarget implements WorkerEndpoint {
  constructor() {
    super();
    queueMicrotask(() => this.dispatchEvent(new Event('error')));
  }
  postMessage(): void {}
  terminate(): void {}
}

describe('Tau2Packs', () => {
  it('loads a source and domain once for every caller, with byte progress while it runs', async () => {
    const urls: string[] = [];
    let started = 0;
    const seen: Array<Tau2LoadProgress | undefined> = [];
    const packs: Tau2Packs = new Tau2Packs(() => {
      started++;
      const worker = tau2PackWorkerDouble(servedDouble(urls));
      // What the page shows just after each progress message arrives.
      worker.addEventListener('message', (e) => {
        if (e instanceof MessageEvent && Reflect.get(Object(e.data), 'type') === 'progress') queueMicrotask(() => seen.push(packs.progress));
      });
      return worker;
    });
    const location = { kind: 'url' as const, baseUrl: BASE };
    const [chat, run] = await Promise.all([packs.pack(location, 'telecom'), packs.loaderAt(location)('telecom')]);
    expect(run).toBe(chat);
    expect(chat.tasks).toHaveLength(134);
    expect(await packs.pack(location, 'telecom')).toBe(chat);
    expect(started).toBe(1);
    expect(new Set(urls).size).toBe(urls.length);
    expect(packs.progress).toBeUndefined();
    expect(seen.length).toBeGreaterThanOrEqual(8);
    expect(seen.every((p) => p?.file.startsWith('telecom/'))).toBe(true);
    expect(seen.at(-1)?.loaded).toBe(seen.at(-1)?.total);
  });

  it('rejects a load whose worker died at start, and the next load starts a fresh worker', async () => {
    const urls: string[] = [];
    const endpoints: WorkerEndpoint[] = [new DeadWorkerDouble(), tau2PackWorkerDouble(servedDouble(urls))];
    const packs = new Tau2Packs(() => endpoints.shift() ?? new DeadWorkerDouble());
    const location = { kind: 'url' as const, baseUrl: BASE };
    await expect(packs.pack(location, 'retail')).rejects.toMatchObject({ code: 'worker-died' });
    expect(packs.progress).toBeUndefined();
    const pack = await packs.pack(location, 'retail');
    expect(pack.tasks).toHaveLength(114);
  });
});

/** raw.githubusercontent.com at a2c0247 over ../shared, its telecom tasks.json being release 37199f3's (the 114 base tasks). */
function upstreamBaseOnlyDouble(): typeof fetch {
  const at = /^https:\/\/raw\.githubusercontent\.com\/sierra-research\/tau2-bench\/[0-9a-f]{40}\/data\/tau2\/domains\/(.+)$/;
  return (input) => {
    const path = at.exec(String(input))?.[1] ?? '';
    const body = readFileSync(resolve(SERVED, path === 'telecom/tasks.json' ? 'telecom/tasks.37199f3.json' : path));
    return Promise.resolve(new Response(body, { headers: { 'content-length': String(body.byteLength) } }));
  };
}

describe("Tau2Choice: the Chat tab's splits", () => {
  beforeAll(() => vi.stubGlobal('document', { baseURI: 'http://127.0.0.1:5173/' }));
  afterAll(() => vi.unstubAllGlobals());

  it("offers only the splits the loaded data holds whole: the app's telecom copy (134 tasks) has small, not full", async () => {
    const urls: string[] = [];
    const choice = new Tau2Choice(new Tau2Packs(() => tau2PackWorkerDouble(servedDouble(urls))));
    expect(choice.url).toBe(BASE);
    choice.domain = 'telecom';
    // `full` picked before (a stored choice): this data lacks 2,151 of its tasks, so the test split instead.
    choice.split = 'full';
    await choice.refreshTask(undefined, 0);
    expect(choice.splits).toEqual(['base', 'train', 'test', 'small']);
    expect(choice.split).toBe('test');
    expect(choice.taskCount).toBe(40);

    // Upstream's layout, one tasks.json, here holding only the 114 base tasks: small is not offered either.
    const upstream = new Tau2Choice(new Tau2Packs(() => tau2PackWorkerDouble(upstreamBaseOnlyDouble())));
    upstream.source = 'upstream';
    upstream.domain = 'telecom';
    upstream.split = 'small';
    await upstream.refreshTask(undefined, 0);
    expect(upstream.splits).toEqual(['base', 'train', 'test']);
    expect(upstream.split).toBe('test');
    upstream.split = 'base';
    await upstream.refreshTask(undefined, 0);
    expect(upstream.taskCount).toBe(114);
  });
});

describe("Tau2Choice.packFrom: a stored episode's own τ³ data (the Data tab's gold)", () => {
  beforeAll(() => vi.stubGlobal('document', { baseURI: 'http://127.0.0.1:5173/' }));
  afterAll(() => vi.unstubAllGlobals());

  it("reads 'app' from the served folder and 'upstream' from GitHub whatever the Chat tab picked; a folder cannot be read again", async () => {
    const urls: string[] = [];
    const served = servedDouble(urls);
    const upstreamFetch = upstreamBaseOnlyDouble();
    const both: typeof fetch = (input, init) => (String(input).startsWith(BASE) ? served(input, init) : (urls.push(String(input)), upstreamFetch(input, init)));
    const choice = new Tau2Choice(new Tau2Packs(() => tau2PackWorkerDouble(both)));
    choice.source = 'upstream';
    const app = await choice.packFrom('telecom', 'app');
    expect(app.tasks).toHaveLength(134);
    expect(urls.every((u) => u.startsWith(BASE))).toBe(true);
    const upstream = await choice.packFrom('telecom', 'upstream');
    expect(upstream.tasks).toHaveLength(114);
    expect(urls.some((u) => u.startsWith('https://raw.githubusercontent.com/sierra-research/tau2-bench/'))).toBe(true);
    // Episodes recorded before the source was kept: the Chat tab's source.
    expect(await choice.packFrom('telecom', undefined)).toBe(upstream);
    await expect(choice.packFrom('telecom', 'folder')).rejects.toThrow(/from a folder you opened, which cannot be read again here/);
  });
});
