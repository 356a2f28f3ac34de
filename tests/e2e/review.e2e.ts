import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { toJsonl } from '../../src/lib/traces/jsonl.ts';
import { syntheticParams, syntheticTrace } from '../fixtures/synthetic-traces.ts';
import { importInHistory as importFile, useHistoryPage, useE2E, useTempDir } from './harness.ts';

const N = 10_000;
const e2e = useE2E();
const { app, openPage } = e2e;
const dir = useTempDir('spotter-review-');

const range = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k);
const count = (pred: (i: number) => boolean) => range(0, N).filter(pred).length;

/** Writes episodes `ids` as a JSONL file; `edit` may corrupt lines (0-based). */
function jsonlFile(name: string, ids: number[], edit?: (lines: string[]) => void): string {
  const lines = toJsonl(ids.map(syntheticTrace)).trimEnd().split('\n');
  edit?.(lines);
  const path = join(dir.path, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

async function shown(page: Page): Promise<number> {
  return Number(await page.getByTestId('episode-count').getAttribute('data-shown'));
}

/** Applies a filter and waits until the list shows `expected` episodes; returns the wall time from the action to the updated count. */
async function timed(page: Page, action: () => Promise<void>, expected: number): Promise<number> {
  const t0 = performance.now();
  await action();
  await page.waitForFunction((n) => document.querySelector('[data-testid=episode-count]')?.getAttribute('data-shown') === String(n), expected, {
    polling: 'raf',
  });
  return performance.now() - t0;
}

/** Counts the records of both stores in the page, straight from IndexedDB. */
async function storedCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('spotter-traces');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const out: Record<string, number> = {};
    for (const name of Array.from(db.objectStoreNames)) {
      out[name] = await new Promise<number>((resolve, reject) => {
        const r = db.transaction(name).objectStore(name).count();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    }
    db.close();
    return out;
  });
}

describe('review at scale, in a real browser', () => {
  let page: Page;
  let errors: string[];
  useHistoryPage(e2e, (opened) => ({ page, errors } = opened));

  it('imports 10,000 episodes; filters and search return the right episodes', async () => {
    const file = jsonlFile('ten-thousand.jsonl', range(0, N));
    const t0 = performance.now();
    const r = await importFile(page, file);
    const importMs = performance.now() - t0;
    expect(r).toEqual({ kind: 'ok', text: `Imported ${N} episodes.` });
    await page.waitForFunction((n) => document.querySelector('[data-testid=episode-count]')?.getAttribute('data-total') === String(n), N);
    expect(await storedCounts(page)).toEqual({ episodes: N, 'episodes-summaries': N });

    // Virtualised: a handful of rows in the DOM, newest first.
    const rows = page.getByTestId('episode-row');
    expect(await rows.count()).toBeLessThan(60);
    expect(await rows.first().getAttribute('data-id')).toBe(`ep-00${N - 1}`);

    const timings: Record<string, number> = {};
    const retail = count((i) => syntheticParams(i).environment === 'retail');
    timings['environment'] = await timed(page, () => page.getByTestId('filter-environment').selectOption('tau-bench/retail').then(() => undefined), retail);
    expect(await shown(page)).toBe(retail);

    const combo = count((i) => {
      const p = syntheticParams(i);
      return p.environment === 'retail' && p.taskIndex === 10 && p.mode === 'intervene' && p.reward === 1;
    });
    await page.getByTestId('filter-task').fill('10');
    await page.getByTestId('filter-mode').selectOption('intervene');
    timings['env+task+mode+outcome'] = await timed(page, () => page.getByTestId('filter-outcome').selectOption('pass').then(() => undefined), combo);
    expect(combo).toBeGreaterThan(0);
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    for (const id of ids) {
      const p = syntheticParams(Number(id?.slice(3)));
      expect([p.environment, p.taskIndex, p.mode, p.reward]).toEqual(['retail', 10, 'intervene', 1]);
    }

    await page.getByRole('button', { name: 'Clear' }).click();
    expect(await shown(page)).toBe(N);
    const tiny = count((i) => syntheticParams(i).critic === 'tiny-critic');
    timings['critic'] = await timed(page, () => page.getByTestId('filter-critic').selectOption('tiny-critic').then(() => undefined), tiny);
    await page.getByRole('button', { name: 'Clear' }).click();

    // Date range: episodes are one minute apart from 2026-01-01 00:00 UTC; the inputs take local days.
    const from = await page.evaluate(() => new Date('2026-01-03T00:00:00').getTime());
    const to = await page.evaluate(() => new Date('2026-01-04T23:59:59.999').getTime());
    const inRange = count((i) => syntheticParams(i).createdAt >= from && syntheticParams(i).createdAt <= to);
    await page.getByTestId('filter-dates').click();
    await page.getByTestId('filter-from').fill('2026-01-03');
    timings['date range'] = await timed(page, () => page.getByTestId('filter-to').fill('2026-01-04'), inRange);
    expect(inRange).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Clear' }).click();

    const baggage = count((i) => syntheticParams(i).word === 'baggage');
    timings['search one word'] = await timed(page, () => page.getByTestId('filter-text').fill('baggage'), baggage);
    timings['search rare, two words'] = await timed(page, () => page.getByTestId('filter-text').fill('MARKER4321X user_4321'), 1);
    expect(await rows.first().getAttribute('data-id')).toBe('ep-004321');
    timings['search, no hit'] = await timed(page, () => page.getByTestId('filter-text').fill('zebra'), 0);
    await page.getByRole('button', { name: 'Clear' }).click();

    // Keyboard: ↓ ↓ Enter opens the third newest.
    await page.getByTestId('episode-list').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid=episode-view][data-id=ep-00${N - 3}]`);
    // End jumps to the oldest: still only a handful of rows rendered.
    await page.getByTestId('episode-list').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=episode-view][data-id=ep-000000]');
    expect(await rows.count()).toBeLessThan(60);

    console.log(
      `[review bench] import of ${N} episodes: ${Math.round(importMs)} ms\n` +
        Object.entries(timings)
          .map(([k, v]) => `[review bench] ${k.padEnd(24)} ${v.toFixed(0)} ms (action to updated list, incl. driver round trip)`)
          .join('\n'),
    );
    expect(errors).toEqual([]);
  });

  it('rejects a corrupt file as a whole and leaves the store unchanged', async () => {
    const fresh = range(20_000, N);
    const cases: Array<[string, (ls: string[]) => void, RegExp]> = [
      ['bad-json.jsonl', (ls) => (ls[4999] = '{"schemaVersion": 1, "id": '), /line 5000: not valid JSON/],
      [
        'missing-field.jsonl',
        (ls) => {
          const t = JSON.parse(ls[6999] ?? '{}') as Record<string, unknown>;
          delete t.policy;
          ls[6999] = JSON.stringify(t);
        },
        /line 7000: policy: /,
      ],
      [
        'wrong-version.jsonl',
        (ls) => (ls[N - 1] = (ls[N - 1] ?? '').replace(/"schemaVersion":\d+/, '"schemaVersion":42')),
        new RegExp(`line ${N}: schemaVersion: 42 is newer`),
      ],
    ];
    for (const [name, edit, message] of cases) {
      const r = await importFile(page, jsonlFile(name, fresh, edit));
      expect(r.kind).toBe('error');
      expect(r.text).toMatch(/nothing was written/);
      expect(r.text).toMatch(message);
      expect(await storedCounts(page)).toEqual({ episodes: N, 'episodes-summaries': N });
    }
    expect(Number(await page.getByTestId('episode-count').getAttribute('data-total'))).toBe(N);
  });

  it('refuses to export an episode that holds the configured API key', async () => {
    const key = 'sk-review-e2e-4b9d2f7a1c';
    await page.getByTestId('tab-chat').click();
    await page.fill('input[name=actor-key]', key);
    await page.getByTestId('tab-history').click();
    const path = jsonlFile('leaky.jsonl', [N + 100], (ls) => (ls[0] = (ls[0] ?? '').replace('My id is', `My key is ${key}, my id is`)));
    expect((await importFile(page, path)).kind).toBe('ok');
    await page.getByTestId('export-all').click();
    const notice = page.getByTestId('import-notice');
    await page.waitForFunction(() => document.querySelector('[data-testid=import-notice]')?.getAttribute('data-kind') === 'error');
    const text = await notice.innerText();
    expect(text).toContain(`ep-0${N + 100}`);
    expect(text).not.toContain(key);
    await page.getByTestId('tab-chat').click();
    await page.fill('input[name=actor-key]', '');
    await page.getByTestId('tab-history').click();
  });

  it('skips duplicates on import', async () => {
    const r = await importFile(page, jsonlFile('dupes.jsonl', [...range(N - 5, 5), ...range(N, 5)]));
    expect(r).toEqual({ kind: 'ok', text: 'Imported 5 episodes, skipped 5 already stored.' });
    expect(await storedCounts(page)).toEqual({ episodes: N + 6, 'episodes-summaries': N + 6 });
  });
});

describe('offline', () => {
  it('after a first visit, loads with the network off; an episode opens and replays in presentation mode', async () => {
    const { context, page, errors } = await openPage({ acceptDownloads: true });
    await page.goto(app.url);
    await page.waitForSelector('html[data-offline-ready=true]', { timeout: 60_000 });
    await page.getByTestId('tab-history').click();
    const r = await importFile(page, jsonlFile('small.jsonl', range(0, 20)));
    expect(r.kind).toBe('ok');

    // Network off, and the server gone too, so nothing can come from it.
    await context.setOffline(true);
    await app.stop();
    await page.reload();
    await page.getByTestId('tab-history').click();
    await page.getByTestId('filter-text').fill('marker2x');
    await page.getByTestId('episode-row').first().click();
    const view = page.getByTestId('episode-view');
    await view.getByTestId('intervention').waitFor();
    expect(await view.getByTestId('critic-feedback').first().innerText()).toContain('Confirm the user identity');

    await view.getByTestId('present').click();
    const pres = page.getByTestId('presentation');
    await pres.waitFor();
    const frames = Number(await pres.getAttribute('data-frames'));
    const kinds: string[] = [];
    for (let i = 0; i < frames; i++) {
      kinds.push((await pres.locator(`[data-frame="${i}"]`).getAttribute('data-kind')) ?? '');
      await page.keyboard.press('ArrowRight');
    }
    expect(kinds).toEqual(['user', 'rejected', 'feedback', 'action', 'action', 'user', 'end']);
    await page.keyboard.press('ArrowLeft');
    expect(await pres.getAttribute('data-frame')).toBe(String(frames - 2));
    await page.keyboard.press('Escape');
    await pres.waitFor({ state: 'detached' });

    // Export works offline too: every stored episode, one per line.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-all').click()]);
    const exported = readFileSync((await download.path()) ?? '', 'utf8').trimEnd().split('\n');
    expect(exported).toHaveLength(20);
    expect(exported.map((l) => (JSON.parse(l) as { id: string }).id).sort()).toEqual(range(0, 20).map((i) => syntheticTrace(i).id));
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(e))).toEqual([]);
    await context.close();
  });
});
