/**
 * Registers the offline service worker (src/sw/sw.ts, built to sw.js) in production builds,
 * then hands it the URLs this page loaded before the worker controlled it, so
 * lazily loaded chunks, workers and wasm are cached too. Sets
 * `data-offline-ready` on <html> once that is done (the e2e test waits on it).
 */
import type { CacheUrlsMessage } from '../sw/protocol.ts';
import { appUrl } from './app-url.ts';

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const url = appUrl('sw.js');
  window.addEventListener('load', () => {
    navigator.serviceWorker
      .register(url)
      .then(() => navigator.serviceWorker.ready)
      .then((reg) => (reg.active ? reportLoaded(reg.active) : undefined))
      .then(() => {
        document.documentElement.dataset.offlineReady = 'true';
      })
      .catch((err: unknown) => {
        console.warn('Offline support unavailable:', err);
      });
  });
}

function reportLoaded(worker: ServiceWorker): Promise<void> {
  const urls = performance
    .getEntriesByType('resource')
    .map((e) => e.name)
    .filter((u) => u.startsWith(location.origin));
  urls.push(location.href);
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    // The worker answers once everything is cached; don't hang if it never does.
    const timer = setTimeout(resolve, 30_000);
    channel.port1.onmessage = () => {
      clearTimeout(timer);
      resolve();
    };
    worker.postMessage({ type: 'cache-urls', urls } satisfies CacheUrlsMessage, [channel.port2]);
  });
}
