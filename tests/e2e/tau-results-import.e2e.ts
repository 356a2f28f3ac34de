/**
 * History opens tau-bench's own results file (the 200 real GPT-4o airline
 * episodes) like a JSONL export: content detection, IndexedDB in real
 * Chromium, idempotent re-import, a corrupt file rejected whole.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { defaultTauDir } from '../../src/lib/envs/tau-bench/pack-node.ts';
import { importInHistory, useHistoryPage, useE2E, useTempDir } from './harness.ts';

const FILE = join(defaultTauDir(), 'historical', 'gpt-4o-airline.json');
const e2e = useE2E();
const dir = useTempDir('spotter-tau-results-');
const importFile = (page: Page, path: string) => importInHistory(page, path, 60_000);

const total = (page: Page) => page.getByTestId('episode-count').getAttribute('data-total');

describe('History imports a tau-bench results file', () => {
  let page: Page;
  let errors: string[];
  useHistoryPage(e2e, (opened) => ({ page, errors } = opened));

  it('imports the 200 real episodes once, rejects a corrupt copy whole, and opens an episode', async () => {
    expect(await importFile(page, FILE)).toEqual({ kind: 'ok', text: 'Imported 200 episodes.' });
    await page.waitForFunction(() => document.querySelector('[data-testid=episode-count]')?.getAttribute('data-total') === '200');

    expect(await importFile(page, FILE)).toEqual({ kind: 'ok', text: 'Imported 0 episodes, skipped 200 already stored.' });

    const records = JSON.parse(readFileSync(FILE, 'utf8')) as Array<{ traj: Array<Record<string, unknown>> }>;
    const m = records[150]?.traj[3];
    if (m) m.role = 'robot';
    const bad = join(dir.path, 'corrupt.json');
    writeFileSync(bad, JSON.stringify(records));
    const r = await importFile(page, bad);
    expect(r.kind).toBe('error');
    expect(r.text).toMatch(/^Import rejected, nothing was written\. record 150: traj\[3\]\.role: /);
    expect(await total(page)).toBe('200');

    // Passed episodes: 84 of the 200.
    await page.getByTestId('filter-outcome').selectOption('pass');
    await page.waitForFunction(() => document.querySelector('[data-testid=episode-count]')?.getAttribute('data-shown') === '84');
    await page.getByRole('button', { name: 'Clear' }).click();

    await page.getByTestId('filter-text').fill('mia_li_3668');
    const row = page.locator('[data-testid=episode-row][data-id="tau-bench/airline/0/0"]');
    await row.click();
    await expect.poll(() => page.getByText('book_reservation').first().isVisible(), { timeout: 10_000 }).toBe(true);
    expect(errors).toEqual([]);
  });
});
