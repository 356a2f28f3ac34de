import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { StorageError } from './errors.ts';
import { connection, ensureStores, openDatabase, type DbSchema } from './indexed-db.ts';

let n = 0;
const dbName = () => `idb-test-${n++}`;
const noop = () => undefined;
/** Two versions: the second adds a store. */
const twoStep = (name: string): DbSchema => ({ name, upgrades: [ensureStores('a'), ensureStores('a', 'b')] });

describe('openDatabase', () => {
  it('creates a new database at the schema version with every store', async () => {
    const db = await openDatabase(twoStep(dbName()), noop);
    expect(db.version).toBe(2);
    expect([...db.objectStoreNames].sort()).toEqual(['a', 'b']);
    db.close();
  });

  it('runs only the missing steps on an older database and keeps its records', async () => {
    const name = dbName();
    const old = await openDB(name, 1, { upgrade: (db) => void db.createObjectStore('a') });
    await old.put('a', { id: 1 }, 'k');
    old.close();
    const db = await openDatabase(twoStep(name), noop);
    expect(db.version).toBe(2);
    expect(await db.get('a', 'k')).toEqual({ id: 1 });
    expect(await db.count('b')).toBe(0);
    db.close();
  });

  it('refuses a database a newer app version upgraded, with a clear error, and leaves it as it was', async () => {
    const name = dbName();
    const newer = await openDB(name, 5, { upgrade: (db) => void db.createObjectStore('future') });
    await newer.put('future', 1, 'k');
    newer.close();
    const err = await openDatabase(twoStep(name), noop).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(String(err)).toMatch(/upgraded by a newer version of Spotter.*Reload the page/);
    const after = await openDB(name);
    expect(after.version).toBe(5);
    expect([...after.objectStoreNames]).toEqual(['future']);
    expect(await after.get('future', 'k')).toBe(1);
    after.close();
  });
});

describe('connection', () => {
  it("closes for another tab's upgrade instead of blocking it, and opens again on next use", async () => {
    const schema: DbSchema = { name: dbName(), upgrades: [ensureStores('s')] };
    const open = connection(schema);
    const first = await open();
    expect(await open()).toBe(first);
    // Another tab upgrades to version 2: not blocked, because our connection closes.
    const other = await openDB(schema.name, 2, { upgrade: (db) => void db.createObjectStore('t') });
    other.close();
    // Next use opens again; the database is now newer than this schema, which is said plainly.
    await expect(open()).rejects.toThrow(StorageError);
    // A failed open is not kept: once the schema matches again, the same connection works.
    const again = connection({ name: schema.name, upgrades: [ensureStores('s'), ensureStores('t')] });
    expect((await again()).version).toBe(2);
  });
});
