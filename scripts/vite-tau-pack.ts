/**
 * Serves the benchmark packs from ../shared (tau-bench at /tau-bench/, the
 * UserBench samples, prompts and task index at /userbench/) during `vite
 * dev`/`preview`, and copies them into the build output (never into git) when
 * they are present, so a deployed build carries them. τ³-bench's data
 * (../shared/tau2-bench, with the airline db.json that `npm run fixtures`
 * rebuilds) is served at /tau2-bench/ in dev and preview only: a build never
 * carries it (the app loads it from upstream or a folder). SPOTTER_TAU_DIR points
 * at another tau-bench pack: the Pages workflow's export
 * (scripts/export-tau-pack.py), historical/ included.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

export const TAU_PACK_URL_PATH = '/tau-bench/';

export function defaultPackDir(): string {
  return resolve(process.env.SPOTTER_TAU_DIR ?? join(process.cwd(), '..', 'shared', 'tau-bench'));
}

/** Every file under `dir`, as '/'-separated paths relative to it, sorted. */
export function packFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, rel)).isDirectory()) out.push(...packFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

export const USERBENCH_PACK_URL_PATH = '/userbench/';

export function defaultUserBenchDir(): string {
  return resolve(process.env.SPOTTER_USERBENCH_DIR ?? join(process.cwd(), '..', 'shared', 'userbench'));
}

export const TAU2_PACK_URL_PATH = '/tau2-bench/';

export function defaultTau2Dir(): string {
  return resolve(process.env.SPOTTER_TAU2_DIR ?? join(process.cwd(), '..', 'shared', 'tau2-bench'));
}

/** Files served in place of (or beside) the pack's own: the rebuilt airline db.json. */
export function tau2Overlay(): Record<string, string> {
  return { 'airline/db.json': resolve(process.cwd(), '.fixtures', 'tau2', 'airline', 'db.json') };
}

export function tau2PackPlugin(dir = defaultTau2Dir()): Plugin {
  return packPlugin(dir, TAU2_PACK_URL_PATH, 'tau2-bench', { emit: false, overlay: tau2Overlay() });
}

export function tauPackPlugin(dir = defaultPackDir()): Plugin {
  return packPlugin(dir, TAU_PACK_URL_PATH, 'tau-bench');
}

export function userBenchPackPlugin(dir = defaultUserBenchDir()): Plugin {
  return packPlugin(dir, USERBENCH_PACK_URL_PATH, 'userbench');
}

/** The file a pack path names: the overlay's, else `dir`'s; undefined when missing or outside `dir`. */
export function packFile(dir: string, rel: string, overlay: Record<string, string> = {}): string | undefined {
  const over = overlay[rel];
  if (over !== undefined) return existsSync(over) ? over : undefined;
  const file = resolve(dir, rel);
  if (!file.startsWith(dir + sep) || !existsSync(file) || statSync(file).isDirectory()) return undefined;
  return file;
}

/** `dir` served at `urlPath` and (unless `emit` is false) emitted under `name/` in the build. */
function packPlugin(dir: string, urlPath: string, name: string, opts: { emit?: boolean; overlay?: Record<string, string> } = {}): Plugin {
  const serve: Plugin['configureServer'] = (server) => {
    server.middlewares.use((req, res, next) => {
      const url = req.url?.split('?')[0] ?? '';
      if (!url.startsWith(urlPath) || !existsSync(dir)) return next();
      const file = packFile(dir, decodeURIComponent(url.slice(urlPath.length)), opts.overlay);
      if (file === undefined) return next();
      res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'text/plain; charset=utf-8');
      res.end(readFileSync(file));
    });
  };
  return {
    name: `spotter-${name}-pack`,
    configureServer: serve,
    configurePreviewServer: serve as Plugin['configurePreviewServer'],
    generateBundle() {
      if (opts.emit === false) return;
      if (!existsSync(dir)) {
        this.warn(`${name} pack not found at ${dir}: the build will not carry it`);
        return;
      }
      for (const file of packFiles(dir)) {
        this.emitFile({ type: 'asset', fileName: `${name}/${file}`, source: readFileSync(join(dir, file)) });
      }
    },
  };
}
