/**
 * Every IndexedDB database of the app is opened here, through `idb`, at a
 * fixed version: `upgrades[v]` takes a database from version v to v + 1, so a
 * database left by any earlier version of the app is brought up to date with
 * its data kept. Steps only add (stores, indexes) and create what is missing,
 * so they are safe to run on a database that is already partly there.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { StorageError } from './errors.ts';

type SchemaUpgrade = (db: IDBPDatabase) => void;

export interface DbSchema {
  readonly name: string;
  /** One step per version; the database's version is `upgrades.length`. */
  readonly upgrades: readonly SchemaUpgrade[];
}

/** The upgrade step that creates the named object stores (out-of-line keys) where missing. */
export function ensureStores(...names: string[]): SchemaUpgrade {
  return (db) => {
    for (const n of names) if (!db.objectStoreNames.contains(n)) db.createObjectStore(n);
  };
}

/**
 * Opens (creating or upgrading) the database. `onClosed` runs when the
 * connection goes: closed for another tab's upgrade, or by the browser; the
 * owner then opens again on next use. A database newer than this code (a
 * later version of the app upgraded it) is a StorageError: nothing is touched.
 */
export async function openDatabase(schema: DbSchema, onClosed: () => void): Promise<IDBPDatabase> {
  let db: IDBPDatabase;
  try {
    db = await openDB(schema.name, schema.upgrades.length, {
      upgrade(up, oldVersion) {
        for (const step of schema.upgrades.slice(oldVersion)) step(up);
      },
    });
  } catch (err) {
    if (err instanceof Error && err.name === 'VersionError') {
      throw new StorageError(
        `The browser database "${schema.name}" was upgraded by a newer version of Spotter (another tab?). Reload the page to use it; nothing was changed.`,
        false,
        { cause: err },
      );
    }
    throw err;
  }
  // Let another tab upgrade the database; we reopen on next use.
  db.onversionchange = () => {
    db.close();
    onClosed();
  };
  db.onclose = onClosed;
  return db;
}

/** The database's connection: opened on first use, and again after it closed or failed to open. */
export function connection(schema: DbSchema): () => Promise<IDBPDatabase> {
  let db: Promise<IDBPDatabase> | undefined;
  return () => {
    const p = (db ??= openDatabase(schema, () => {
      db = undefined;
    }));
    p.catch(() => {
      if (db === p) db = undefined;
    });
    return p;
  };
}
