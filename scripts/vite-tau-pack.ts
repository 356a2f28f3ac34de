/**
 * Serves the tau-bench benchmark pack from ../shared/tau-bench at /tau-bench/
 * during `vite dev`/`preview`, and copies it into the build output (never into
 * git) when ../shared is present, so a deployed build carries it.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

export const TAU_PACK_URL_PATH = '/tau-bench/';

export function defaultPackDir(): string {
  return resolve(process.env.SPOTTER_TAU_DIR ?? join(process.cwd(), '..', 'shared', 'tau-bench'));
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

export function tauPackPlugin(dir = defaultPackDir()): Plugin {
  const serve: Plugin['configureServer'] = (server) => {
    server.middlewares.use((req, res, next) => {
      const url = req.url?.split('?')[0] ?? '';
      if (!url.startsWith(TAU_PACK_URL_PATH) || !existsSync(dir)) return next();
      const file = resolve(dir, decodeURIComponent(url.slice(TAU_PACK_URL_PATH.length)));
      if (!file.startsWith(dir + sep) || !existsSync(file) || statSync(file).isDirectory()) return next();
      res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'text/plain; charset=utf-8');
      res.end(readFileSync(file));
    });
  };
  return {
    name: 'spotter-tau-pack',
    configureServer: serve,
    configurePreviewServer: serve as Plugin['configurePreviewServer'],
    generateBundle() {
      if (!existsSync(dir)) {
        this.warn(`tau-bench pack not found at ${dir}: the build will not carry it`);
        return;
      }
      for (const file of listFiles(dir)) {
        this.emitFile({
          type: 'asset',
          fileName: `tau-bench/${relative(dir, file).split(sep).join('/')}`,
          source: readFileSync(file),
        });
      }
    },
  };
}
