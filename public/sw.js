/* Spotter service worker: keeps the app shell so stored traces can be reviewed offline.
 * Navigation is network-first (a new deployment wins when online), hashed build
 * assets and model/runtime files are cache-first, everything else same-origin
 * is network-first with the cache as fallback. Cross-origin requests (actor and
 * critic APIs) and anything carrying credentials are never touched. */
const CACHE = 'spotter-shell-v1';
// Servers may answer `Vary: Origin`; module scripts send Origin, precache fetches do not: same file either way.
const MATCH = { ignoreVary: true };
const scope = new URL(self.registration.scope);
const SHELL_KEY = new URL('./', scope).href;
const IMMUTABLE = ['assets/', 'ort/', 'models/'].map((p) => new URL(p, scope).pathname);
const NEVER = ['api/', 'v1/'].map((p) => new URL(p, scope).pathname);

function cacheable(request) {
  if (request.method !== 'GET') return false;
  const url = new URL(request.url);
  if (url.origin !== scope.origin) return false;
  if (NEVER.some((p) => url.pathname.startsWith(p))) return false;
  if (request.headers.has('authorization') || request.headers.has('range')) return false;
  return true;
}

function storable(response) {
  return response && response.ok && response.status === 200 && response.type === 'basic';
}

async function put(request, response) {
  if (!storable(response)) return;
  const cache = await caches.open(CACHE);
  await cache.put(request, response);
}

/** The shell page and the files it names (scripts, styles, manifest, icon). */
async function precache() {
  const cache = await caches.open(CACHE);
  const res = await fetch(SHELL_KEY, { cache: 'no-cache' });
  if (!storable(res)) return;
  const html = await res.clone().text();
  await cache.put(SHELL_KEY, res);
  const urls = new Set();
  for (const m of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
    const u = new URL(m[1], scope);
    if (u.origin === scope.origin && u.href !== SHELL_KEY) urls.add(u.href);
  }
  await Promise.all([...urls].map((u) => cacheUrl(cache, u)));
}

async function cacheUrl(cache, href) {
  try {
    if (await cache.match(href, MATCH)) return;
    const r = await fetch(href);
    if (storable(r)) await cache.put(href, r);
  } catch {
    // Offline or gone: it will be cached when next fetched.
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('spotter-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

/** The page reports what it loaded before this worker controlled it (lazy chunks, workers, wasm). */
self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'cache-urls' || !Array.isArray(data.urls)) return;
  const port = event.ports && event.ports[0];
  const hrefs = data.urls
    .filter((u) => typeof u === 'string')
    .map((u) => new URL(u, scope))
    .filter((u) => u.origin === scope.origin && !NEVER.some((p) => u.pathname.startsWith(p)))
    .map((u) => u.href);
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => Promise.all(hrefs.map((h) => cacheUrl(cache, h))))
      .then(() => port && port.postMessage({ type: 'cached', count: hrefs.length })),
  );
});

async function networkFirst(request, key) {
  try {
    const res = await fetch(request);
    if (storable(res)) {
      const copy = res.clone();
      const cache = await caches.open(CACHE);
      await cache.put(key || request, copy);
    }
    return res;
  } catch (err) {
    const hit = (await caches.match(key || request, MATCH)) || (request.mode === 'navigate' ? await caches.match(SHELL_KEY, MATCH) : undefined);
    if (hit) return hit;
    throw err;
  }
}

async function cacheFirst(request) {
  const hit = await caches.match(request, MATCH);
  if (hit) return hit;
  const res = await fetch(request);
  await put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (!cacheable(request)) return;
  if (request.mode === 'navigate') {
    // One shell for every in-app URL: the app routes itself.
    event.respondWith(networkFirst(request, SHELL_KEY));
    return;
  }
  const path = new URL(request.url).pathname;
  event.respondWith(IMMUTABLE.some((p) => path.startsWith(p)) ? cacheFirst(request) : networkFirst(request));
});
