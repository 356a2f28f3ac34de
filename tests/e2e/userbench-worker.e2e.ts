/**
 * The UserBench data files load in the pack worker, in the built app in
 * headless Chromium: the eight upstream-format files at real size (~40 MiB,
 * built from the three samples into a temp dir at setup, never committed) are
 * served for the pinned raw GitHub URLs by the test; the Chat tab shows the
 * load's progress, then the task's hidden preferences, while the main thread
 * has no long task over 50 ms. The fetches, made in the worker, show in "What
 * left this browser"; a bad field comes back naming the file and the field.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { z } from 'zod';
import { synthesizeDataFiles } from '../fixtures/userbench-data.ts';
import { indexFileFor, loadScenarios, USERBENCH_RAW_BASE } from '../../src/lib/envs/userbench/pack.ts';
import { nodePackSource } from '../../src/lib/envs/userbench/pack-node.ts';
import { collectErrors, launchBrowser, longTasksSince, serveApp, watchLongTasks, type AppServer } from './harness.ts';

const DIR = resolve(process.env.SPOTTER_USERBENCH_DIR ?? '../shared/userbench');
const DATA_URL = `${USERBENCH_RAW_BASE}travelgym/data/`;
let app: AppServer;
let browser: Browser;
let dataDir: string;

/** A test env's index ids, in row order. */
function indexIds(env: string): string[] {
  const rows = z.array(z.object({ reward_model: z.object({ id: z.string() }) })).parse(JSON.parse(readFileSync(join(DIR, indexFileFor(env, false)), 'utf8')));
  return rows.map((r) => r.reward_model.id);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'spotter-ub-data-'));
  // Each env's test ids first in its own file; the first entry of each file is sample 272's.
  const files = await synthesizeDataFiles(DIR, 120, { '22': indexIds('travel22'), '33': indexIds('travel33'), '44': indexIds('travel44') });
  for (const { suffix, text } of files) writeFileSync(join(dataDir, `travelgym_data_${suffix}.json`), text);
  const bad = files.find((f) => f.suffix === '33')?.text.replace('"dimensions": [', '"dimensions": "oops", "x": [') ?? '';
  writeFileSync(join(dataDir, 'bad_travelgym_data_33.json'), bad);
  app = await serveApp();
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Serves the data files for the raw GitHub URLs (the worker's fetches included); returns the URLs asked for. */
async function serveData(context: BrowserContext, badFile33 = false): Promise<string[]> {
  const asked: string[] = [];
  await context.route(`${DATA_URL}*`, (route) => {
    const name = basename(new URL(route.request().url()).pathname);
    asked.push(route.request().url());
    return route.fulfill({ path: join(dataDir, badFile33 && name === 'travelgym_data_33.json' ? `bad_${name}` : name), contentType: 'application/json' });
  });
  return asked;
}

async function openUserBenchChat(page: Page): Promise<void> {
  await page.goto(app.url);
  await page.selectOption('select[name=env-kind]', 'userbench');
  // The three samples load first (the default), then the person picks the upstream data.
  await page.getByTestId('ub-preferences').waitFor({ timeout: 60_000 });
}

describe('UserBench data files in the pack worker', () => {
  it('loads the eight real-size files off the main thread, with progress, then the task; fetches recorded; cached for the next env', async () => {
    const context = await browser.newContext();
    const asked = await serveData(context);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await watchLongTasks(page);
    await openUserBenchChat(page);
    const expected = [...(await loadScenarios(nodePackSource(DIR), ['scenarios/testtask272_flight_apartment.json'])).values()][0]?.preferences ?? [];
    expect(expected.length).toBeGreaterThan(1);

    const t0 = await page.evaluate(() => performance.now());
    const started = Date.now();
    await page.locator('select[name=ub-source]').selectOption({ index: 1 });
    const progress = page.getByTestId('ub-load-progress');
    await progress.waitFor({ timeout: 60_000 });
    expect(Number(await progress.getAttribute('data-files-total'))).toBe(8);
    await expect(progress.innerText()).resolves.toMatch(/Loading UserBench scenarios: \d of 8 files, \d+\.\d MiB/);
    await progress.waitFor({ state: 'detached', timeout: 180_000 });
    const loadMs = Date.now() - started;
    // Task 0 of travel22's test index: its scenario is the first entry of travelgym_data_22.json (sample 272's).
    await expect(page.locator('input[name=ub-task]').getAttribute('max')).resolves.toBe('100');
    const shown = await page.getByTestId('ub-preferences').innerText();
    for (const p of expected) expect(shown).toContain(`${p.id} ${p.aspect}: ${p.preference}`);
    await expect(page.getByTestId('pack-error').count()).resolves.toBe(0);

    const longTasks = await longTasksSince(page, t0);
    const mib = files8Mib();
    console.log(`userbench worker load (Chromium, ${mib.toFixed(1)} MiB, first load, fetched and cached): ${loadMs} ms; main-thread long tasks: ${JSON.stringify(longTasks)}`);
    expect(longTasks.filter((t) => t.duration > 50)).toEqual([]);
    expect(asked.sort()).toEqual(['22', '33', '44', '2222', '233', '334', '444', '333'].map((n) => `${DATA_URL}travelgym_data_${n}.json`).sort());

    // Another env: the same eight files, now from Cache Storage (no new fetch), a new index.
    const again = Date.now();
    await page.locator('select[name=ub-env]').selectOption('travel33');
    await expect.poll(() => page.locator('input[name=ub-task]').getAttribute('max'), { timeout: 180_000 }).toBe('86');
    console.log(`userbench worker load (Chromium, from Cache Storage): ${Date.now() - again} ms`);
    expect(asked).toHaveLength(8);

    // The worker's fetches, in "What left this browser", as pack requests.
    await page.getByTestId('tab-privacy').click();
    await page.getByTestId('privacy-panel').waitFor();
    const dataRowsNow = async () =>
      (await page.getByTestId('privacy-row').evaluateAll((els) => els.map((e) => [e.getAttribute('data-url') ?? '', e.getAttribute('data-purpose') ?? '']))).filter(([url]) =>
        url?.startsWith(DATA_URL),
      );
    await expect.poll(async () => (await dataRowsNow()).length, { timeout: 10_000 }).toBe(8);
    const dataRows = await dataRowsNow();
    expect(dataRows.every(([, purpose]) => purpose === 'pack')).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);

  it('names the file and the field of bad data, across the worker boundary', async () => {
    const context = await browser.newContext();
    await serveData(context, true);
    const page = await context.newPage();
    await openUserBenchChat(page);
    await page.locator('select[name=ub-source]').selectOption({ index: 1 });
    const error = page.getByTestId('pack-error');
    await error.waitFor({ timeout: 180_000 });
    await expect(error.innerText()).resolves.toMatch(/^travelgym\/data\/travelgym_data_33\.json: \[".+"\]\.dimensions: /);
    await context.close();
  }, 240_000);
});

function files8Mib(): number {
  return ['22', '33', '44', '2222', '233', '334', '444', '333'].reduce((n, s) => n + readFileSync(join(dataDir, `travelgym_data_${s}.json`)).length, 0) / 2 ** 20;
}
