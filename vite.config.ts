import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fixtureModelsPlugin } from './scripts/vite-fixture-models.ts';
import { tauPackPlugin, userBenchPackPlugin } from './scripts/vite-tau-pack.ts';

export default defineConfig({
  // Relative: the same dist/ works at /, /spotter/ or on a file share (runtime URLs go through src/ui/appUrl.ts).
  base: './',
  plugins: [svelte(), tauPackPlugin(), userBenchPackPlugin(), fixtureModelsPlugin()],
  // No client-side routes: a missing file must be a 404, not index.html (model loaders read it as weights).
  appType: 'mpa',
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  optimizeDeps: { exclude: ['@mlc-ai/web-llm', '@huggingface/transformers'] },
});
