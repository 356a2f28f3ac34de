/**
 * Shared end-to-end harness: serves the built app (dist/, from `vite build`)
 * on 127.0.0.1, launches Debian's Chromium with WebGPU on SwiftShader, and
 * records every request a page makes so tests can assert where traffic went.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startStaticServer } from './static-server.ts';

export const CHROMIUM_PATH = process.env.SPOTTER_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface AppServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves dist/ on a free port on 127.0.0.1 (a secure context, so WebGPU and service workers work),
 * under `base` ('/' or a sub-path like '/spotter/'), with the tiny test models at <base>models/.
 * `url` is the app's address with no trailing slash at '/', with one under a sub-path.
 */
export async function serveApp(opts: { base?: string } = {}): Promise<AppServer> {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `vite build` first (npm run test:e2e does)');
  const base = opts.base ?? '/';
  const { origin, server } = await startStaticServer({ dist: 'dist', prefix: base, fixtures: '.fixtures/models' });
  return {
    url: base === '/' ? origin : `${origin}${base}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Chromium with WebGPU on SwiftShader; `{ webgpu: false }` gives a browser without a GPU adapter. */
export async function launchBrowser(opts: { webgpu?: boolean } = {}): Promise<Browser> {
  const args = opts.webgpu === false ? [...CHROMIUM_ARGS.filter((a) => !a.includes('webgpu')), '--disable-webgpu'] : CHROMIUM_ARGS;
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
}

/** Every URL requested from the context, including workers and service workers. */
export function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (r) => urls.push(r.url()));
  return urls;
}

/** Requests that left 127.0.0.1 (data:/blob: URLs stay in the browser). */
export function offHostRequests(urls: string[]): string[] {
  return urls.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false;
    try {
      return new URL(u).hostname !== '127.0.0.1';
    } catch {
      return true;
    }
  });
}

/** Page errors and console errors, to fail tests on uncaught exceptions. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** Dumps the named IndexedDB database's object stores as JSON text, read in the page. */
export async function dumpIndexedDB(page: Page, dbName: string): Promise<string> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const out: Record<string, unknown[]> = {};
    for (const storeName of Array.from(db.objectStoreNames)) {
      out[storeName] = await new Promise<unknown[]>((resolve, reject) => {
        const r = db.transaction(storeName).objectStore(storeName).getAll();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    }
    db.close();
    return JSON.stringify(out);
  }, dbName);
}
