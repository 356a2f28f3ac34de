import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { TraceStore, traceDbSchema } from './trace-store.ts';
import { TRACE_SCHEMA_VERSION } from './schema.ts';
import { openDatabase } from '../indexed-db.ts';
import { syntheticTrace } from '../../../tests/fixtures/synthetic-traces.ts';

let n = 0;
const dbName = () => `store-test-${n++}`;

describe('TraceStore', () => {
  it('keeps put/get/list/delete working', async () => {
    const store = new TraceStore(dbName());
    await store.put(syntheticTrace(1));
    await store.put(syntheticTrace(2));
    expect(await store.get('ep-000001')).toEqual(syntheticTrace(1));
    const { traces, invalid } = await store.list();
    expect(traces.map((t) => t.id)).toEqual(['ep-000002', 'ep-000001']);
    expect(invalid).toBe(0);
    await store.delete('ep-000001');
    expect(await store.has('ep-000001')).toBe(false);
    expect(await store.count()).toBe(1);
  });

  it('updates the summary when the recorder rewrites a trace', async () => {
    const store = new TraceStore(dbName());
    const t = { ...syntheticTrace(5), status: 'running' as const };
    await store.put(t);
    expect((await store.summaries())[0]?.outcome).toBe('running');
    await store.put(syntheticTrace(5));
    const s = await store.summaries();
    expect(s).toHaveLength(1);
    expect(s[0]?.outcome).toBe('pass');
  });

  it('stores a trace as its JSON text, reads records stored as objects by earlier versions, and names a corrupt one', async () => {
    const name = dbName();
    const store = new TraceStore(name);
    await store.put(syntheticTrace(1));
    const db = await openDB(name);
    expect(await db.get('episodes', 'ep-000001')).toBe(JSON.stringify(syntheticTrace(1)));
    // An object record, as every version before this one wrote them, and a truncated text.
    await db.put('episodes', syntheticTrace(2), 'ep-000002');
    await db.put('episodes', JSON.stringify(syntheticTrace(3)).slice(0, 100), 'ep-000003');
    db.close();
    expect(await store.get('ep-000002')).toEqual(syntheticTrace(2));
    await expect(store.get('ep-000003')).rejects.toThrow(/stored episode ep-000003: not valid JSON/);
    const { traces, invalid } = await store.list();
    expect(traces.map((t) => t.id)).toEqual(['ep-000002', 'ep-000001']);
    expect(invalid).toBe(1);
  });

  it('upgrades a database written by the old single-store version, migrating v0 records on read', async () => {
    const name = dbName();
    // The database as the previous TraceStore (idb-keyval createStore) left it, with one v0 record among v1 ones.
    const old = await openDB(name, 1, { upgrade: (db) => void db.createObjectStore('episodes') });
    const { schemaVersion: _v, updatedAt: _u, ...v0 } = syntheticTrace(2);
    const tx = old.transaction('episodes', 'readwrite');
    tx.objectStore('episodes').put(syntheticTrace(1), 'ep-000001');
    tx.objectStore('episodes').put(v0, 'ep-000002');
    tx.objectStore('episodes').put({ nope: true }, 'junk');
    await tx.done;
    old.close();
    const store = new TraceStore(name);
    const sums = await store.summaries();
    expect(sums.map((s) => s.id)).toEqual(['ep-000002', 'ep-000001']);
    expect((await store.get('ep-000002'))?.schemaVersion).toBe(TRACE_SCHEMA_VERSION);
    expect((await store.list()).invalid).toBe(1);
  });
});

describe('the traces database schema', () => {
  const noop = () => undefined;

  it('creates both stores at version 2 in a new database', async () => {
    const db = await openDatabase(traceDbSchema(dbName(), 'episodes'), noop);
    expect(db.version).toBe(2);
    expect([...db.objectStoreNames].sort()).toEqual(['episodes', 'episodes-summaries']);
    db.close();
  });

  it('completes a version 1 left without stores (the previous store opened a new database bare before upgrading it)', async () => {
    const name = dbName();
    (await openDB(name, 1)).close();
    const db = await openDatabase(traceDbSchema(name, 'episodes'), noop);
    expect([...db.objectStoreNames].sort()).toEqual(['episodes', 'episodes-summaries']);
    db.close();
  });
});
