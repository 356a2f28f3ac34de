/**
 * Which files of the build the service worker precaches at install: the app
 * shell and its code and styles, not the tau-bench/UserBench packs (loaded
 * only when chosen, kept by the pack cache) nor the on-device engines'
 * runtimes of several megabytes (web-llm, onnxruntime wasm), which most people
 * never load: those are cached the first time they load.
 */

/** Precached files are at most this big; the two web-llm bundles (about 6 MB each) are over it. */
export const PRECACHE_MAX_BYTES = 1024 * 1024;

export const precacheGlobs = ['index.html', 'manifest.webmanifest', 'icon.svg', 'assets/*.{js,css}'];

/** A Workbox manifest transform: drops the files over the limit. */
export function precacheSizeLimit<E extends { size: number }>(entries: E[]): { manifest: E[]; warnings: string[] } {
  return { manifest: entries.filter((e) => e.size <= PRECACHE_MAX_BYTES), warnings: [] };
}
