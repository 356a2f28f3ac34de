/**
 * History opens tau2-bench's own results file like a JSONL export: content
 * detection, IndexedDB in real Chromium, idempotent re-import, a corrupt file
 * rejected whole. The file is the retail run of tests/fixtures/tau2/export-sample.ts,
 * which the ORIGINAL tau2 `Results.load` reads (export-check.json).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { exportSample, RETAIL_DIR } from '../fixtures/tau2/export-sample.ts';
import { useE2E } from './harness.ts';

const { app, openPage } = useE2E();
let dir: string;
let file: string;
let text: string;

async function importFile(page: Page, path: string): Promise<{ kind: string; text: string }> {
  const notice = page.getByTestId('import-notice');
  await page.getByTestId('import-file').setInputFiles(path);
  await notice.waitFor({ state: 'detached', timeout: 2_000 }).catch(() => undefined);
  await notice.waitFor({ timeout: 60_000 });
  return { kind: (await notice.getAttribute('data-kind')) ?? '', text: await notice.innerText() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spotter-tau2-results-'));
  if (!existsSync(RETAIL_DIR)) return;
  text = (await exportSample(true)).results;
  file = join(dir, 'results.json');
  writeFileSync(file, text);
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(existsSync(RETAIL_DIR))('History imports a tau2-bench results file', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ context, page, errors } = await openPage());
    await page.goto(app.url);
    await page.getByTestId('tab-history').click();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('imports its 11 simulations once, rejects a corrupt copy whole, and opens an episode', async () => {
    expect(await importFile(page, file)).toEqual({ kind: 'ok', text: 'Imported 11 episodes.' });
    await page.waitForFunction(() => document.querySelector('[data-testid=episode-count]')?.getAttribute('data-total') === '11');
    expect(await importFile(page, file)).toEqual({ kind: 'ok', text: 'Imported 0 episodes, skipped 11 already stored.' });

    const parsed = JSON.parse(text) as { simulations: Array<{ termination_reason: string }> };
    const sim = parsed.simulations[4];
    if (sim) sim.termination_reason = 'gave_up';
    const bad = join(dir, 'corrupt.json');
    writeFileSync(bad, JSON.stringify(parsed));
    const r = await importFile(page, bad);
    expect(r.kind).toBe('error');
    expect(r.text).toMatch(/^Import rejected, nothing was written\. simulation 4 \(spotter-5-0\): termination_reason/);
    expect(await page.getByTestId('episode-count').getAttribute('data-total')).toBe('11');

    // Passed episodes: the five gold replays.
    await page.getByTestId('filter-outcome').selectOption('pass');
    await page.waitForFunction(() => document.querySelector('[data-testid=episode-count]')?.getAttribute('data-shown') === '5');
    await page.getByRole('button', { name: 'Clear' }).click();

    await page.locator('[data-testid=episode-row][data-id="tau2/retail/spotter-19-0"]').click();
    await expect.poll(() => page.getByText('get_order_details').first().isVisible(), { timeout: 10_000 }).toBe(true);
    expect(errors).toEqual([]);
  });
});
