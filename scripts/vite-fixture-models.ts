/**
 * Serves the tiny test models (.fixtures/models, from `npm run fixtures`) at
 * /models/ on Vite's dev server only, so `npm run dev` can load them by id.
 * The production build never carries them (the e2e harness serves them itself).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

export function fixtureModelsPlugin(dir = resolve(process.cwd(), '.fixtures', 'models')): Plugin {
  return {
    name: 'spotter-fixture-models',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = req.url?.split('?')[0] ?? '';
        if (!url.startsWith('/models/')) return next();
        const file = resolve(dir, decodeURIComponent(url.slice('/models/'.length)));
        if (!file.startsWith(dir + sep) || !existsSync(file) || statSync(file).isDirectory()) return next();
        res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        res.end(readFileSync(file));
      });
    },
  };
}
