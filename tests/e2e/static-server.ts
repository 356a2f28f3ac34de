/**
 * A plain static file server for the e2e tests, like the one a deployment
 * would use (GitHub Pages, nginx): serves dist/ under a path prefix, a 404 for
 * anything missing, no SPA fallback, no Vite. It also serves the tiny test
 * models from .fixtures/models at <prefix>models/, and τ³-bench's data at
 * <prefix>tau2-bench/ (as the dev server does), which the production build
 * does not carry.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { defaultTau2Dir, packFile, tau2Overlay } from '../../scripts/vite-tau-pack.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.toml': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  /** The origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  server: Server;
}

/** The file under `root` a request path names, or undefined (also for paths that climb out). */
function fileUnder(root: string, rel: string): string | undefined {
  const file = resolve(root, `.${sep}${decodeURIComponent(rel)}`);
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  if (existsSync(file) && statSync(file).isDirectory()) return existsSync(join(file, 'index.html')) ? join(file, 'index.html') : undefined;
  return existsSync(file) ? file : undefined;
}

export async function startStaticServer(opts: { dist: string; prefix: string; fixtures?: string }): Promise<StaticServer> {
  const dist = resolve(opts.dist);
  const fixtures = opts.fixtures ? resolve(opts.fixtures) : undefined;
  const prefix = opts.prefix.endsWith('/') ? opts.prefix : `${opts.prefix}/`;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (`${path}/` === prefix) {
      res.writeHead(301, { Location: prefix }).end();
      return;
    }
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end('not found');
      return;
    }
    const rel = path.slice(prefix.length);
    const file =
      fixtures && rel.startsWith('models/')
        ? fileUnder(fixtures, rel.slice('models/'.length))
        : rel.startsWith('tau2-bench/')
          ? packFile(defaultTau2Dir(), decodeURIComponent(rel.slice('tau2-bench/'.length)), tau2Overlay())
          : fileUnder(dist, rel);
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': statSync(file).size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, server };
}
