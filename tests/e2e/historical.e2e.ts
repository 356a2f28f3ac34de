/**
 * The historical GPT-4o airline results file in real Chromium: downloaded
 * with byte progress from the app's /tau-bench/ (the dev server serves
 * ../shared/tau-bench there) or from raw GitHub at the pinned commit (answered
 * here from ../shared: tests reach no network), checked, kept in the real
 * Cache Storage, and read from it afterwards with no request. A download cut
 * short is refused and caches nothing. The page (tests/e2e/pages/historical.html)
 * runs the app's source modules from a Vite dev server.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HISTORICAL_FILE, type HistoricalOrigin } from '../../src/lib/envs/tau-bench/historical.ts';
import { TAU_BENCH_RAW_BASE } from '../../src/lib/envs/tau-bench/upstream.ts';
import { collectErrors, launchBrowser } from './harness.ts';

const REAL = readFileSync(resolve('..', 'shared', 'tau-bench', HISTORICAL_FILE.packPath));
const UPSTREAM_URL = `${TAU_BENCH_RAW_BASE}${HISTORICAL_FILE.upstreamPath}`;

const ResultSchema = z.object({
  ok: z.boolean(),
  from: z.string().optional(),
  length: z.number().optional(),
  head: z.string().optional(),
  error: z.string().optional(),
  progress: z.array(z.object({ loaded: z.number(), total: z.number().nullable().optional() })),
});

let server: ViteDevServer;
let browser: Browser;
let url = '';

beforeAll(async () => {
  server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  await server.listen();
  url = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
  browser = await launchBrowser({ webgpu: false });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(context: BrowserContext): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await context.newPage();
  const errors = collectErrors(page);
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  await page.goto(`${url}/tests/e2e/pages/historical.html`);
  await page.waitForFunction(() => '__loadHistorical' in window);
  return { page, errors, requests };
}

const load = async (page: Page, origins: HistoricalOrigin[]) =>
  ResultSchema.parse(await page.evaluate((o) => (window as unknown as { __loadHistorical: (o: unknown) => Promise<unknown> }).__loadHistorical(o), origins));
const cachedKeys = async (page: Page) => z.array(z.string()).parse(await page.evaluate(() => (window as unknown as { __cachedKeys: () => Promise<unknown> }).__cachedKeys()));
const historicalRequests = (requests: string[]) => requests.filter((u) => u.endsWith('/gpt-4o-airline.json'));

describe('the historical results file in Chromium', () => {
  it('downloads from the bundled pack with progress to its size, caches it, then loads it again with no request', async () => {
    const context = await browser.newContext();
    const { page, errors, requests } = await openPage(context);
    const bundled: HistoricalOrigin = { kind: 'bundled', packBaseUrl: `${url}/tau-bench/` };
    const first = await load(page, [bundled, { kind: 'upstream' }]);
    expect(first).toMatchObject({ ok: true, from: `${url}/tau-bench/historical/gpt-4o-airline.json`, length: REAL.toString('utf8').length });
    expect(first.progress.length).toBeGreaterThan(3);
    expect(first.progress.at(-1)).toEqual({ loaded: HISTORICAL_FILE.bytes, total: HISTORICAL_FILE.bytes });
    expect(historicalRequests(requests)).toEqual([`${url}/tau-bench/historical/gpt-4o-airline.json`]);
    expect(await cachedKeys(page)).toHaveLength(1);

    // Offline now: the next load reads Cache Storage and asks no origin.
    await context.setOffline(true);
    const again = await load(page, [bundled, { kind: 'upstream' }]);
    expect(again).toMatchObject({ ok: true, from: 'cache', length: first.length, head: first.head });
    expect(historicalRequests(requests)).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a download cut short is refused and caches nothing; raw GitHub at the pinned commit is asked next', async () => {
    const context = await browser.newContext();
    const cutUrl = `${url}/cut/tau-bench/historical/gpt-4o-airline.json`;
    await context.route(cutUrl, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: REAL.subarray(0, 100_000) }));
    let upstreamAsked = 0;
    await context.route(UPSTREAM_URL, (route) => {
      upstreamAsked++;
      return route.fulfill({ status: 200, contentType: 'application/json', body: REAL, headers: { 'Access-Control-Allow-Origin': '*' } });
    });
    const { page } = await openPage(context);
    const cut = await load(page, [{ kind: 'bundled', packBaseUrl: `${url}/cut/tau-bench/` }]);
    expect(cut.ok).toBe(false);
    expect(cut.error).toContain(`${cutUrl}: only 100000 bytes of ${HISTORICAL_FILE.bytes} arrived`);
    expect(await cachedKeys(page)).toEqual([]);

    const fallback = await load(page, [{ kind: 'bundled', packBaseUrl: `${url}/cut/tau-bench/` }, { kind: 'upstream' }]);
    expect(fallback).toMatchObject({ ok: true, from: UPSTREAM_URL });
    expect(upstreamAsked).toBe(1);
    expect(await cachedKeys(page)).toHaveLength(1);
    await context.close();
  });
});
