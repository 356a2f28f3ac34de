/**
 * What a production build makes the browser download: for the page, the
 * entry chunk named in index.html and every chunk it imports statically,
 * transitively (dynamic `import()`s load later, when first needed); for each
 * Web Worker, its own file and what it can load, with any provider SDK found
 * in it. Sizes gzipped, as a server sends them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface InitialLoad {
  /** The entry chunk's path under dist/. */
  entry: string;
  entryGzip: number;
  /** The entry and its static imports: path under dist/ → gzipped bytes. */
  chunks: Record<string, number>;
  totalGzip: number;
}

const gz = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

/** Relative specifiers of a chunk's static imports (`import … from "./x.js"`, `import "./x.js"`), not `import("./x.js")`. */
export function staticImports(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g)) out.push(m[1] ?? '');
  return out.filter(Boolean);
}

export function initialLoad(dist: string): InitialLoad {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const src = /<script[^>]*type="module"[^>]*src="([^"]+)"/.exec(html)?.[1];
  if (!src) throw new Error(`${dist}/index.html names no module script`);
  const entry = posix.normalize(src.replace(/^\.?\//, ''));
  const chunks: Record<string, number> = {};
  const visit = (path: string) => {
    if (path in chunks) return;
    const file = join(dist, path);
    if (!existsSync(file)) throw new Error(`${path} is imported but missing from ${dist}`);
    const code = readFileSync(file);
    chunks[path] = gz(code);
    for (const spec of staticImports(code.toString('utf8'))) visit(relative(dist, join(dirname(file), spec)).split('\\').join('/'));
  };
  visit(entry);
  return { entry, entryGzip: chunks[entry] ?? 0, chunks, totalGzip: Object.values(chunks).reduce((a, b) => a + b, 0) };
}

/** Relative specifiers of a chunk's dynamic imports: import("./x.js"), with any quote. */
export function dynamicImports(code: string): string[] {
  return [...code.matchAll(/\bimport\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g)].map((m) => m[1] ?? '').filter(Boolean);
}

/**
 * Strings that survive minification and name a provider SDK: each SDK reads
 * its base URL from this environment variable (the browser build keeps the
 * name). The worker bundles must carry none: a critic engine runs no actor.
 */
export const PROVIDER_SDK_MARKERS: Readonly<Record<string, string>> = {
  openai: 'OPENAI_BASE_URL',
  '@anthropic-ai/sdk': 'ANTHROPIC_BASE_URL',
};

/** The provider SDKs whose marker is in `code`. */
export function providerSdksIn(code: string): string[] {
  return Object.entries(PROVIDER_SDK_MARKERS)
    .filter(([, marker]) => code.includes(marker))
    .map(([sdk]) => sdk);
}

export interface WorkerBundle {
  /** The worker's name without the content hash, e.g. `transformers.worker`. */
  name: string;
  /** Its file under dist/. */
  file: string;
  raw: number;
  gzip: number;
  /** Chunks it can load besides its own file (static and dynamic imports, transitively): path under dist/ → gzipped bytes. */
  lazyChunks: Record<string, number>;
  /** Provider SDKs found in its file or any chunk it can load. */
  providerSdks: string[];
}

/** Every Web Worker bundle of a build (`assets/<name>.worker-<hash>.js`), by name. */
export function workerBundles(dist: string): WorkerBundle[] {
  const assets = join(dist, 'assets');
  const out: WorkerBundle[] = [];
  for (const fileName of readdirSync(assets).sort()) {
    const name = /^(.+?\.worker)-[^.]+\.js$/.exec(fileName)?.[1];
    if (!name) continue;
    const file = `assets/${fileName}`;
    const code = readFileSync(join(dist, file));
    const lazyChunks: Record<string, number> = {};
    const sdks = new Set(providerSdksIn(code.toString('utf8')));
    const visit = (from: string, text: string) => {
      for (const spec of [...staticImports(text), ...dynamicImports(text)]) {
        const path = relative(dist, join(dirname(join(dist, from)), spec)).split('\\').join('/');
        if (path === file || path in lazyChunks) continue;
        const chunk = readFileSync(join(dist, path));
        lazyChunks[path] = gz(chunk);
        const chunkText = chunk.toString('utf8');
        for (const sdk of providerSdksIn(chunkText)) sdks.add(sdk);
        visit(path, chunkText);
      }
    };
    visit(file, code.toString('utf8'));
    out.push({ name, file, raw: code.length, gzip: gz(code), lazyChunks, providerSdks: [...sdks].sort() });
  }
  return out;
}
