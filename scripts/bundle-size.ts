/**
 * What a production build makes the page download before it can run: the
 * entry chunk named in index.html and every chunk it imports statically,
 * transitively (dynamic `import()`s load later, when first needed). Sizes
 * gzipped, as a server sends them.
 */
import { existsSync, readFileSync } from 'node:fs';
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
