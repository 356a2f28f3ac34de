/**
 * Shared end-to-end harness: serves the built app (dist/, from `vite build`)
 * on 127.0.0.1, launches Debian's Chromium with WebGPU on SwiftShader, and
 * records every request a page makes so tests can assert where traffic went.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { ProviderServerDouble } from '../doubles/provider-server-double.ts';
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

/** Dumps the named IndexedDB database's object stores as JSON text, read in the page; a record stored as JSON text (a trace) is dumped as the value it holds. */
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
        r.onsuccess = () => resolve(r.result.map((v: unknown) => (typeof v === 'string' && v.startsWith('{') ? (JSON.parse(v) as unknown) : v)));
        r.onerror = () => reject(r.error);
      });
    }
    db.close();
    return JSON.stringify(out);
  }, dbName);
}

/** A browser context with one page, recording its requests and errors from the start. */
export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Every URL the context requested (see recordRequests). */
  requests: string[];
  /** Page and console errors (see collectErrors). */
  errors: string[];
}

/** What a test file's hooks started, for use inside its tests and hooks. */
export interface E2E {
  /** The served app; its url is known once the file's beforeAll ran. */
  readonly app: AppServer;
  /** A fresh context (with `options`) and page in the file's browser. */
  openPage(options?: BrowserContextOptions): Promise<OpenedPage>;
  /** For a beforeEach: resets the provider double, closes the page this opened last and opens a fresh one. */
  nextPage(options?: BrowserContextOptions): Promise<OpenedPage>;
}

/**
 * Registers the file's beforeAll/afterAll: starts `provider` (if given), serves the app under `base` and
 * launches Chromium (`webgpu: false`: without a GPU adapter); stops them all afterwards.
 */
export function useE2E(opts: { provider?: ProviderServerDouble; webgpu?: boolean; base?: string } = {}): E2E {
  let server: AppServer | undefined;
  let browser: Browser | undefined;
  let last: BrowserContext | undefined;
  beforeAll(async () => {
    await opts.provider?.start();
    server = await serveApp({ base: opts.base });
    browser = await launchBrowser({ webgpu: opts.webgpu });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await opts.provider?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started: use it inside a test or hook`);
    return value;
  };
  const openPage = async (options?: BrowserContextOptions): Promise<OpenedPage> => {
    const context = await started(browser, 'the browser').newContext(options);
    const requests = recordRequests(context);
    const page = await context.newPage();
    return { context, page, requests, errors: collectErrors(page) };
  };
  return {
    app: {
      get url() {
        return started(server, 'the app server').url;
      },
      // A test may stop the server early (to go offline); afterAll then has nothing left to stop.
      stop: async () => {
        const stopping = started(server, 'the app server');
        server = undefined;
        await stopping.stop();
      },
    },
    openPage,
    async nextPage(options) {
      opts.provider?.reset();
      await last?.close();
      const opened = await openPage(options);
      last = opened.context;
      return opened;
    },
  };
}

/** A temporary folder for a file's tests: made before them, removed with its files after them. */
export function useTempDir(prefix: string): { readonly path: string } {
  let path: string | undefined;
  beforeAll(() => {
    path = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (path) rmSync(path, { recursive: true, force: true });
  });
  return {
    get path() {
      if (path === undefined) throw new Error('the temporary folder is made before the tests: use it inside a test or hook');
      return path;
    },
  };
}

/** One page on the History tab for the enclosing describe's tests: opened before them (handed to `use`), closed after them. */
export function useHistoryPage(e2e: Pick<E2E, 'app' | 'openPage'>, use: (opened: OpenedPage) => void): void {
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    const opened = await e2e.openPage();
    context = opened.context;
    await opened.page.goto(e2e.app.url);
    await opened.page.getByTestId('tab-history').click();
    use(opened);
  });
  afterAll(async () => {
    await context?.close();
  });
}

/** Imports a file in the History tab and waits for this import's notice: its kind and text. */
export async function importInHistory(page: Page, path: string, timeoutMs = 120_000): Promise<{ kind: string; text: string }> {
  const notice = page.getByTestId('import-notice');
  await page.getByTestId('import-file').setInputFiles(path);
  // A new import clears the previous notice at once; the next one to appear is this import's.
  await notice.waitFor({ state: 'detached', timeout: 2_000 }).catch(() => undefined);
  await notice.waitFor({ timeout: timeoutMs });
  return { kind: (await notice.getAttribute('data-kind')) ?? '', text: await notice.innerText() };
}

/** Fills the Setup panel: the actor at the provider double and, given `critic`, a remote critic there too. */
export async function configureProvider(page: Page, provider: ProviderServerDouble, fields: { key: string; actor?: string; critic?: string }): Promise<void> {
  const baseUrl = `${provider.url}/v1`;
  await page.fill('input[name=actor-base-url]', baseUrl);
  await page.fill('input[name=actor-model]', fields.actor ?? 'actor');
  await page.fill('input[name=actor-key]', fields.key);
  if (fields.critic === undefined) return;
  await page.fill('input[name=critic-base-url]', baseUrl);
  await page.fill('input[name=critic-model]', fields.critic);
}

/**
 * Opens the app with settings stored as the Setup panel keeps them (actor and remote critic at `baseUrl`,
 * temperature 0, no streaming, keys not remembered) and reloads so it starts from them.
 */
export async function openWithSettings(
  page: Page,
  appUrl: string,
  settings: { baseUrl: string; actor: string; critic: string; mode: 'off' | 'intervene' },
): Promise<void> {
  await page.goto(appUrl);
  await page.evaluate((s) => {
    const provider = { kind: 'openai-compatible', baseUrl: s.baseUrl, temperature: 0, maxTokens: 512, stream: false };
    localStorage.setItem(
      'spotter.settings.v1',
      JSON.stringify({
        actor: { ...provider, model: s.actor },
        critic: { ...provider, model: s.critic },
        criticOnDevice: false,
        mode: s.mode,
        maxRevisions: 2,
        failureRule: 'fail-open',
        criticTimeoutS: 60,
        rememberKeys: false,
        policy: '',
      }),
    );
  }, settings);
  await page.reload();
}

/**
 * Loads a transformers.js critic (fp32) from the Critic tab and waits until it is ready, failing at once
 * with its message if loading fails. Returns the device it runs on.
 */
export async function loadCritic(page: Page, opts: { model: string; device: 'webgpu' | 'wasm' }): Promise<string | null> {
  await page.getByTestId('tab-critic').click();
  await page.getByLabel('transformers.js (WebGPU or wasm)').check();
  await page.getByTestId('tf-model').fill(opts.model);
  await page.getByTestId('tf-device').selectOption(opts.device);
  await page.getByTestId('tf-dtype').selectOption('fp32');
  await page.getByTestId('critic-load').click();
  const ready = page.getByTestId('critic-ready');
  await waitForCritic(page, ready, 'load', 120_000);
  return ready.getAttribute('data-device');
}

/** Waits for `target`; if the critic panel shows an error first, fails at once with it (`<what> failed: …`). */
export async function waitForCritic(page: Page, target: Locator, what: string, timeoutMs: number): Promise<void> {
  const error = page.getByTestId('critic-error');
  await Promise.race([
    target.waitFor({ timeout: timeoutMs }),
    error.waitFor({ timeout: timeoutMs }).then(async () => {
      throw new Error(`${what} failed: ${await error.textContent()}`);
    }),
  ]);
}

/** Polls `check` (a throw counts as false) until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface LongTask {
  start: number;
  duration: number;
}

/** Records the page's main-thread long tasks from its first script on (call before navigating). */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: LongTask[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The long tasks that started at or after `since` (page time, ms); waits a moment so the observer delivers the last ones. */
export async function longTasksSince(page: Page, since: number): Promise<LongTask[]> {
  await page.waitForTimeout(200);
  return page.evaluate((t) => (window as unknown as { __longTasks: LongTask[] }).__longTasks.filter((x) => x.start >= t), since);
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

/** axe-core's serious and critical violations on the page as it is now (injected by evaluation: the app's CSP stays on). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
}

const SHOTS = 'test-results/screenshots';

/**
 * A screenshot for the README: kept under test-results/, and copied into
 * docs/screenshots/ when SPOTTER_UPDATE_SCREENSHOTS=1.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.SPOTTER_UPDATE_SCREENSHOTS === '1') copyFileSync(file, join('docs/screenshots', `${name}.png`));
}
