/**
 * Spotter's service worker: keeps the app shell so stored traces can be
 * reviewed offline. Built by vite-plugin-pwa (injectManifest) into dist/sw.js,
 * Workbox bundled in (no CDN: the worker fetches nothing but the app's own files).
 *
 * - The hashed build (app code, styles, manifest, icon) is precached at install
 *   from the manifest the build injects; the on-device engines' multi-megabyte
 *   runtimes are not (most people never load them): they are cached the first
 *   time they load, like the files the page reports (`cache-urls`).
 * - Navigation is network-first (a new deployment wins when online), falling
 *   back to the stored shell; hashed assets, onnxruntime and model files are
 *   cache-first; everything else same-origin is network-first with the cache
 *   as fallback. Cross-origin requests (actor and critic APIs, model hubs),
 *   same-origin API paths and anything carrying credentials are never touched
 *   (see rules.ts).
 * - Update: a new worker takes over at once and drops caches of older ones.
 */
import { clientsClaim, setCacheNameDetails, type WorkboxPlugin } from 'workbox-core';
import { cleanupOutdatedCaches, getCacheKeyForURL, matchPrecache, precache } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst, type Strategy } from 'workbox-strategies';
import { CacheUrlsMessageSchema, type CachedReply } from './protocol.ts';
import { scopeRules, storable, type Route } from './rules.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<string | { url: string; revision: string | null }> };

/** Files the runtime strategies store; older `spotter-shell-*` caches (the hand-written worker's) are dropped on activation. */
const RUNTIME_CACHE = 'spotter-shell-v2';
// Servers may answer `Vary: Origin`; module scripts send Origin, precache fetches do not: same file either way.
const MATCH: CacheQueryOptions = { ignoreVary: true };
const rules = scopeRules(self.registration.scope);

setCacheNameDetails({ prefix: 'spotter' });
precache(self.__WB_MANIFEST);
cleanupOutdatedCaches();

/** Keeps only what `storable` accepts; answers from the precache when the runtime cache has nothing. */
const storePolicy: WorkboxPlugin = {
  cacheWillUpdate: async ({ response }) => (storable(response) ? response : null),
  cachedResponseWillBeUsed: async ({ cachedResponse, request }) => cachedResponse ?? (await matchPrecache(request.url)),
};
/** One shell for every in-app URL: navigations are stored and looked up under the shell's key. */
const shellKey: WorkboxPlugin = {
  cacheKeyWillBeUsed: async () => rules.shellKey,
  cachedResponseWillBeUsed: async ({ cachedResponse }) => cachedResponse ?? (await matchPrecache('index.html')),
};

const strategies: Record<Route, Strategy> = {
  navigation: new NetworkFirst({ cacheName: RUNTIME_CACHE, matchOptions: MATCH, plugins: [storePolicy, shellKey] }),
  'cache-first': new CacheFirst({ cacheName: RUNTIME_CACHE, matchOptions: MATCH, plugins: [storePolicy] }),
  'network-first': new NetworkFirst({ cacheName: RUNTIME_CACHE, matchOptions: MATCH, plugins: [storePolicy] }),
};
for (const [route, strategy] of Object.entries(strategies)) {
  registerRoute(({ request }) => rules.route(request) === route, strategy);
}

self.addEventListener('install', () => {
  void self.skipWaiting();
});
clientsClaim();
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('spotter-shell-') && k !== RUNTIME_CACHE).map((k) => caches.delete(k)))),
  );
});

/** Caches one URL unless already cached (precache included); offline or gone: it is cached when next fetched. */
async function cacheUrl(cache: Cache, href: string): Promise<void> {
  try {
    if (getCacheKeyForURL(href) !== undefined || (await cache.match(href, MATCH))) return;
    const response = await fetch(href);
    if (storable(response)) await cache.put(href, response);
  } catch {
    // Offline or gone.
  }
}

/** The page reports what it loaded before this worker controlled it (lazy chunks, workers, wasm). */
self.addEventListener('message', (event) => {
  const message = CacheUrlsMessageSchema.safeParse(event.data);
  if (!message.success) return;
  const port = event.ports[0];
  const hrefs = message.data.urls.flatMap((u) => (typeof u === 'string' ? (rules.reportable(u) ?? []) : []));
  event.waitUntil(
    caches
      .open(RUNTIME_CACHE)
      .then((cache) => Promise.all(hrefs.map((h) => cacheUrl(cache, h))))
      .then(() => port?.postMessage({ type: 'cached', count: hrefs.length } satisfies CachedReply)),
  );
});
