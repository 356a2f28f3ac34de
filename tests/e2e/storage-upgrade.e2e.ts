/**
 * IndexedDB schema upgrades in real Chromium: databases exactly as the
 * previous store code left them (hand-rolled TraceStore, idb-keyval runs store)
 * open in the built app with nothing lost. The old databases are written in the
 * page with the raw IndexedDB API, step for step as that code did (see the
 * comments); the app then opens them through src/lib/indexed-db.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Page } from 'playwright-core';
import { summarize } from '../../src/lib/traces/summary.ts';
import { syntheticTrace } from '../fixtures/synthetic-traces.ts';
import { useE2E } from './harness.ts';

const { app, openPage } = useE2E();
const K = 300;
const traces = Array.from({ length: K }, (_, i) => syntheticTrace(i));
/** A run record as the code before run specs named their environment as data stored it (record version 1). */
const v1Records: unknown = JSON.parse(readFileSync(new URL('../fixtures/run-records/v1-records.json', import.meta.url), 'utf8'));
const run = z.array(z.looseObject({ schemaVersion: z.literal(1), spec: z.looseObject({ id: z.string() }) })).min(1).parse(v1Records)[0] ?? { spec: { id: 'none' } };

interface OldData {
  /** Whether the traces database has the summaries store (version 2) or only the traces (version 1, before summaries). */
  withSummaries: boolean;
  traces: Array<{ id: string }>;
  summaries: unknown[];
  run: { spec: { id: string } };
}

/** Writes the databases as the previous code did, on a page of the app's origin that does not run the app. */
async function writeOldDatabases(page: Page, data: OldData): Promise<void> {
  await page.evaluate(async ({ withSummaries, traces, summaries, run }) => {
    const done = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const committed = (tx: IDBTransaction) =>
      new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = tx.onabort = () => reject(tx.error);
      });
    let db: IDBDatabase;
    if (withSummaries) {
      // The hand-rolled TraceStore#open: open bare (a new database: version 1, no stores),
      // then reopen at version + 1 creating whichever store is missing.
      const bare = await done(indexedDB.open('spotter-traces'));
      const version = bare.version + 1;
      bare.close();
      const req = indexedDB.open('spotter-traces', version);
      req.onupgradeneeded = () => {
        for (const s of ['episodes', 'episodes-summaries']) if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s);
      };
      db = await done(req);
    } else {
      // Before summaries: idb-keyval's createStore('spotter-traces', 'episodes').
      const req = indexedDB.open('spotter-traces');
      req.onupgradeneeded = () => req.result.createObjectStore('episodes');
      db = await done(req);
    }
    const stores = withSummaries ? ['episodes', 'episodes-summaries'] : ['episodes'];
    const tx = db.transaction(stores, 'readwrite');
    traces.forEach((t, i) => {
      tx.objectStore('episodes').put(t, t.id);
      if (withSummaries) tx.objectStore('episodes-summaries').put(summaries[i], t.id);
    });
    await committed(tx);
    db.close();

    // idb-keyval's createStore('spotter-bench', 'runs') and set(id, record).
    const runsReq = indexedDB.open('spotter-bench');
    runsReq.onupgradeneeded = () => runsReq.result.createObjectStore('runs');
    const runs = await done(runsReq);
    const rtx = runs.transaction('runs', 'readwrite');
    rtx.objectStore('runs').put(run, run.spec.id);
    await committed(rtx);
    runs.close();
  }, data);
}

/** Version, store names and record counts of a database, read in the page. */
async function describeDb(page: Page, name: string): Promise<{ version: number; counts: Record<string, number> }> {
  return page.evaluate(async (dbName) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(dbName);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const counts: Record<string, number> = {};
    for (const s of Array.from(db.objectStoreNames)) {
      counts[s] = await new Promise<number>((resolve, reject) => {
        const r = db.transaction(s).objectStore(s).count();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    }
    const version = db.version;
    db.close();
    return { version, counts };
  }, name);
}

async function checkAppReadsEverything(page: Page, errors: string[]): Promise<void> {
  // Only the app's errors count (showing the bare icon made Chromium look for /favicon.ico).
  errors.length = 0;
  await page.goto(app.url);
  await page.getByTestId('tab-history').click();
  await page.waitForFunction((n) => document.querySelector('[data-testid=episode-count]')?.getAttribute('data-total') === String(n), K);
  const newest = traces.at(-1)?.id ?? '';
  expect(await page.getByTestId('episode-row').first().getAttribute('data-id')).toBe(newest);
  await page.getByTestId('episode-row').first().click();
  expect(await page.getByTestId('episode-view').getAttribute('data-id')).toBe(newest);

  await page.getByTestId('tab-bench').click();
  await page.getByTestId(`bench-run-${run.spec.id}`).waitFor({ state: 'attached' });
  // The version-1 record is read through its upgrade: its benchmark and its finished episodes are shown.
  expect(await page.getByTestId(`bench-run-${run.spec.id}`).textContent()).toMatch(/airline · 8 done/);
}

describe('IndexedDB databases written by the previous store code', () => {
  it('today’s databases (traces v2 with summaries, runs v1) open as they are, every record kept', async () => {
    const { context, page, errors } = await openPage();
    await page.goto(`${app.url.replace(/\/?$/, '/')}icon.svg`);
    await writeOldDatabases(page, { withSummaries: true, traces, summaries: traces.map(summarize), run });
    expect(await describeDb(page, 'spotter-traces')).toEqual({ version: 2, counts: { episodes: K, 'episodes-summaries': K } });

    await checkAppReadsEverything(page, errors);
    expect(await describeDb(page, 'spotter-traces')).toEqual({ version: 2, counts: { episodes: K, 'episodes-summaries': K } });
    expect(await describeDb(page, 'spotter-bench')).toEqual({ version: 1, counts: { runs: 1 } });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a traces database from before summaries (v1, traces only) is upgraded to v2 and its summaries rebuilt', async () => {
    const { context, page, errors } = await openPage();
    await page.goto(`${app.url.replace(/\/?$/, '/')}icon.svg`);
    await writeOldDatabases(page, { withSummaries: false, traces, summaries: [], run });
    expect(await describeDb(page, 'spotter-traces')).toEqual({ version: 1, counts: { episodes: K } });

    await checkAppReadsEverything(page, errors);
    expect(await describeDb(page, 'spotter-traces')).toEqual({ version: 2, counts: { episodes: K, 'episodes-summaries': K } });
    expect(errors).toEqual([]);
    await context.close();
  });
});
