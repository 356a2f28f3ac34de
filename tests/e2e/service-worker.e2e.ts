/**
 * The offline service worker (src/sw/sw.ts, built by vite-plugin-pwa) in the
 * production build served under /spotter/: it precaches the hashed build, so
 * tabs never opened online still open offline; it leaves the web-llm bundles
 * to be cached when used; and a new deployment wins when online, replaces the
 * worker, drops old caches and still works offline afterwards.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PRECACHE_MAX_BYTES } from '../../scripts/sw-precache.ts';
import { useE2E } from './harness.ts';
import { startStaticServer } from './static-server.ts';

const { app, openPage } = useE2E({ base: '/spotter/' });
const tmp = mkdtempSync(join(tmpdir(), 'spotter-sw-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The cache names, and the paths (from the origin, revision parameter dropped) in each. */
async function cacheContents(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const keys = await (await caches.open(name)).keys();
      out[name] = keys.map((r) => new URL(r.url).pathname + new URL(r.url).search).sort();
    }
    return out;
  });
}

const precacheOf = (c: Record<string, string[]>) => Object.entries(c).find(([name]) => name.startsWith('spotter-precache'))?.[1] ?? [];
const withoutRevision = (paths: string[]) => paths.map((p) => p.replace(/\?__WB_REVISION__=\w+$/, ''));

describe('service worker', () => {
  it('precaches the app code of the hashed build, not the web-llm bundles; unopened tabs open offline', async () => {
    const { context, page, errors } = await openPage();
    await page.goto(app.url);
    await page.waitForSelector('html[data-offline-ready=true]', { timeout: 60_000 });

    const assets = readdirSync('dist/assets').filter((f) => /\.(js|css)$/.test(f));
    const small = assets.filter((f) => statSync(join('dist/assets', f)).size <= PRECACHE_MAX_BYTES);
    const large = assets.filter((f) => !small.includes(f));
    expect(large.length).toBeGreaterThan(0);
    const precached = withoutRevision(precacheOf(await cacheContents(page)));
    expect(precached).toEqual(
      ['index.html', 'manifest.webmanifest', 'icon.svg', ...small.map((f) => `assets/${f}`)].map((p) => `/spotter/${p}`).sort(),
    );

    // Offline, and the server gone: the Benchmark and Data tabs' chunks were never loaded online.
    await context.setOffline(true);
    await app.stop();
    await page.reload();
    await page.getByTestId('tab-bench').click();
    await page.getByTestId('benchmark').waitFor();
    await page.getByTestId('tab-data').click();
    await page.getByTestId('data-panel').waitFor();
    expect(await page.locator('link[rel=manifest]').getAttribute('href')).toBe('./manifest.webmanifest');
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(e))).toEqual([]);
    await context.close();
  });

  it('a new deployment wins online, replaces the worker and its caches, and is what loads offline', async () => {
    const dist = join(tmp, 'dist');
    cpSync('dist', dist, { recursive: true, filter: (src) => !src.endsWith('.wasm') });
    const { origin, server } = await startStaticServer({ dist, prefix: '/spotter/' });
    const url = `${origin}/spotter/`;
    const { context, page, errors } = await openPage();

    // A cache of the hand-written worker this one replaces.
    await page.goto(`${url}icon.svg`);
    await page.evaluate(async () => (await caches.open('spotter-shell-v1')).put('old', new Response('old')));
    errors.length = 0;

    await page.goto(url);
    await page.waitForSelector('html[data-offline-ready=true]', { timeout: 60_000 });
    const first = await cacheContents(page);
    expect(Object.keys(first)).not.toContain('spotter-shell-v1');
    const oldIndex = precacheOf(first).find((p) => p.startsWith('/spotter/index.html?'));

    // Deploy: a changed index.html, and a worker whose manifest has its new revision.
    const html = readFileSync(join(dist, 'index.html'), 'utf8').replace('<title>', '<meta name="deployment" content="2" />\n    <title>');
    writeFileSync(join(dist, 'index.html'), html);
    const revision = createHash('md5').update(html).digest('hex');
    const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
    const swNext = sw.replace(/"revision":"\w+","url":"index.html"/, `"revision":"${revision}","url":"index.html"`);
    expect(swNext).not.toBe(sw);
    writeFileSync(join(dist, 'sw.js'), swNext);

    // Navigation is network-first: the new page at once, under the old worker.
    await page.reload();
    expect(await page.locator('meta[name=deployment]').count()).toBe(1);
    // The browser finds the new worker on navigation; it takes over and its precache holds the new revision only.
    await expect
      .poll(async () => precacheOf(await cacheContents(page)).filter((p) => p.startsWith('/spotter/index.html?')), { timeout: 30_000 })
      .toEqual([`/spotter/index.html?__WB_REVISION__=${revision}`]);
    expect(oldIndex).not.toBe(`/spotter/index.html?__WB_REVISION__=${revision}`);

    await context.setOffline(true);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await page.reload();
    expect(await page.locator('meta[name=deployment]').count()).toBe(1);
    await page.getByTestId('tab-history').click();
    await page.getByTestId('episode-count').waitFor();
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(e))).toEqual([]);
    await context.close();
  });
});
