import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { fixtureModelsPlugin } from './scripts/vite-fixture-models.ts';
import { tau2PackPlugin, tauPackPlugin, userBenchPackPlugin } from './scripts/vite-tau-pack.ts';
import { precacheGlobs, precacheSizeLimit } from './scripts/sw-precache.ts';

export default defineConfig({
  // Relative: the same dist/ works at /, /spotter/ or on a file share (runtime URLs go through src/ui/app-url.ts).
  base: './',
  plugins: [
    svelte(),
    tauPackPlugin(),
    tau2PackPlugin(),
    userBenchPackPlugin(),
    fixtureModelsPlugin(),
    // The offline service worker (src/sw/sw.ts -> sw.js), with the precache manifest of this build injected.
    // The app registers it itself (src/ui/sw-register.ts) and ships its own public/manifest.webmanifest.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: precacheGlobs,
        // The size limit is applied by precacheSizeLimit (Workbox's own fails the build on what it leaves out).
        maximumFileSizeToCacheInBytes: Number.MAX_SAFE_INTEGER,
        manifestTransforms: [precacheSizeLimit],
        rollupFormat: 'iife',
      },
    }),
  ],
  // No client-side routes: a missing file must be a 404, not index.html (model loaders read it as weights).
  appType: 'mpa',
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  optimizeDeps: { exclude: ['@mlc-ai/web-llm', '@huggingface/transformers'] },
});
