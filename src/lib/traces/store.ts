import { promisifyRequest } from 'idb-keyval';
import { StorageError, ValidationError } from '../errors.ts';
import { parseTraceRecord } from './migrations.ts';
import type { TraceSink } from './recorder.ts';
import type { EpisodeTrace } from './schema.ts';
import { EpisodeSummarySchema, summarize, type EpisodeSummary } from './summary.ts';

function isQuotaError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'QuotaExceededError' || /quota/i.test(err.message));
}

export function toStorageError(err: unknown, what: string): StorageError {
  if (err instanceof StorageError) return err;
  const quota = isQuotaError(err);
  const msg = quota
    ? `Browser storage is full: ${what} was not saved. Export or delete old episodes, then try again.`
    : `Could not save ${what}: ${err instanceof Error ? err.message : String(err)}`;
  return new StorageError(msg, quota, { cause: err });
}

/** Parses (and migrates) a stored value; an invalid record is reported, never returned half-typed. */
export function parseStoredTrace(value: unknown, where: string): EpisodeTrace {
  return parseTraceRecord(value, where);
}

export interface ImportResult {
  added: number;
  /** Episodes whose id was already stored (or repeated in the file). */
  skipped: number;
}

/**
 * Episode traces in IndexedDB, in a database of their own, with a compact
 * summary per episode in a second object store. Both stores change in one
 * transaction, so the list never disagrees with the traces.
 */
export class TraceStore implements TraceSink {
  readonly #summaryStore: string;
  #db: Promise<IDBDatabase> | undefined;
  #indexChecked: Promise<void> | undefined;

  constructor(
    readonly dbName = 'spotter-traces',
    readonly storeName = 'episodes',
  ) {
    this.#summaryStore = `${storeName}-summaries`;
  }

  /** Opens the database, adding whichever of the two stores is missing (older databases hold only the traces). */
  #open(): Promise<IDBDatabase> {
    this.#db ??= (async () => {
      let db = await promisifyRequest(indexedDB.open(this.dbName));
      const wanted = [this.storeName, this.#summaryStore];
      if (!wanted.every((s) => db.objectStoreNames.contains(s))) {
        const version = db.version + 1;
        db.close();
        const req = indexedDB.open(this.dbName, version);
        req.onupgradeneeded = () => {
          for (const s of wanted) if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s);
        };
        db = await promisifyRequest(req);
      }
      // Let another tab upgrade the database; we reopen on next use.
      db.onversionchange = () => {
        db.close();
        this.#db = undefined;
      };
      db.onclose = () => {
        this.#db = undefined;
      };
      return db;
    })();
    const p = this.#db;
    p.catch(() => {
      if (this.#db === p) this.#db = undefined;
    });
    return p;
  }

  /** Runs `fill` in one read-write transaction over both stores; resolves when it committed, else nothing was written. */
  async #write(what: string, fill: (episodes: IDBObjectStore, summaries: IDBObjectStore, fail: (e: unknown) => void) => void): Promise<void> {
    const db = await this.#open();
    let failure: unknown;
    const tx = db.transaction([this.storeName, this.#summaryStore], 'readwrite');
    const fail = (e: unknown) => {
      failure ??= e;
      try {
        tx.abort();
      } catch {
        // Already finished or aborting.
      }
    };
    try {
      fill(tx.objectStore(this.storeName), tx.objectStore(this.#summaryStore), fail);
    } catch (e) {
      fail(e);
    }
    try {
      await promisifyRequest(tx);
    } catch (e) {
      throw toStorageError(failure ?? e ?? tx.error ?? new Error('transaction aborted'), what);
    }
    if (failure !== undefined) throw toStorageError(failure, what);
  }

  async put(trace: EpisodeTrace): Promise<void> {
    await this.#ensureIndex();
    await this.#write(`episode ${trace.id}`, (episodes, summaries) => {
      episodes.put(trace, trace.id);
      summaries.put(summarize(trace), trace.id);
    });
  }

  async get(id: string): Promise<EpisodeTrace | undefined> {
    const db = await this.#open();
    const value: unknown = await promisifyRequest(db.transaction(this.storeName, 'readonly').objectStore(this.storeName).get(id));
    return value === undefined ? undefined : parseStoredTrace(value, `stored episode ${id}`);
  }

  async has(id: string): Promise<boolean> {
    const db = await this.#open();
    const key = await promisifyRequest(db.transaction(this.storeName, 'readonly').objectStore(this.storeName).getKey(id));
    return key !== undefined;
  }

  async count(): Promise<number> {
    const db = await this.#open();
    return promisifyRequest(db.transaction(this.storeName, 'readonly').objectStore(this.storeName).count());
  }

  /** Every valid trace (migrated), newest first; invalid records are skipped and counted. Parses everything: use `summaries()` for lists. */
  async list(): Promise<{ traces: EpisodeTrace[]; invalid: number }> {
    const db = await this.#open();
    const raw: unknown[] = await promisifyRequest(db.transaction(this.storeName, 'readonly').objectStore(this.storeName).getAll());
    const traces: EpisodeTrace[] = [];
    let invalid = 0;
    for (const v of raw) {
      try {
        traces.push(parseStoredTrace(v, 'stored episode'));
      } catch {
        invalid++;
      }
    }
    traces.sort((a, b) => b.createdAt - a.createdAt);
    return { traces, invalid };
  }

  /** The summaries of every valid stored episode, newest first; never parses full traces unless the index must be rebuilt. */
  async summaries(rebuilt = false): Promise<EpisodeSummary[]> {
    await this.#ensureIndex();
    const db = await this.#open();
    const raw: unknown[] = await promisifyRequest(
      db.transaction(this.#summaryStore, 'readonly').objectStore(this.#summaryStore).getAll(),
    );
    const out: EpisodeSummary[] = [];
    for (const v of raw) {
      const r = EpisodeSummarySchema.safeParse(v);
      if (!r.success) {
        if (rebuilt) throw new ValidationError('episode index', r.error.issues[0]?.message ?? 'invalid summary');
        // Written by an older app version: rebuild once, then read again.
        await this.rebuildIndex();
        return this.summaries(true);
      }
      out.push(r.data);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  }

  async delete(id: string): Promise<void> {
    await this.#write(`deletion of episode ${id}`, (episodes, summaries) => {
      episodes.delete(id);
      summaries.delete(id);
    });
  }

  async clear(): Promise<void> {
    await this.#write('deletion of all episodes', (episodes, summaries) => {
      episodes.clear();
      summaries.clear();
    });
  }

  /**
   * Writes validated traces in one transaction, skipping ids already stored
   * or repeated; on any failure (full quota included) nothing is written.
   */
  async importMany(traces: readonly EpisodeTrace[]): Promise<ImportResult> {
    await this.#ensureIndex();
    let added = 0;
    let skipped = 0;
    await this.#write(`import of ${traces.length} episodes`, (episodes, summaries, fail) => {
      const keysReq = episodes.getAllKeys();
      keysReq.onsuccess = () => {
        try {
          const seen = new Set<IDBValidKey>(keysReq.result);
          for (const t of traces) {
            if (seen.has(t.id)) {
              skipped++;
              continue;
            }
            seen.add(t.id);
            episodes.put(t, t.id);
            summaries.put(summarize(t), t.id);
            added++;
          }
        } catch (e) {
          fail(e);
        }
      };
    });
    return { added, skipped };
  }

  /** Checks once per store instance that every trace has a summary; rebuilds when counts differ. */
  #ensureIndex(): Promise<void> {
    this.#indexChecked ??= (async () => {
      const db = await this.#open();
      const tx = db.transaction([this.storeName, this.#summaryStore], 'readonly');
      const [n, m] = await Promise.all([
        promisifyRequest(tx.objectStore(this.storeName).count()),
        promisifyRequest(tx.objectStore(this.#summaryStore).count()),
      ]);
      if (n !== m) await this.rebuildIndex();
    })();
    const p = this.#indexChecked;
    p.catch(() => {
      if (this.#indexChecked === p) this.#indexChecked = undefined;
    });
    return p;
  }

  /** Recomputes every summary from the traces (after an upgrade or a schema change). Returns how many traces were invalid. */
  async rebuildIndex(): Promise<number> {
    const db = await this.#open();
    const entries: Array<[IDBValidKey, unknown]> = [];
    await new Promise<void>((resolve, reject) => {
      const req = db.transaction(this.storeName, 'readonly').objectStore(this.storeName).openCursor();
      req.onsuccess = () => {
        const c = req.result;
        if (!c) return resolve();
        entries.push([c.key, c.value]);
        c.continue();
      };
      req.onerror = () => reject(req.error ?? new Error('cursor failed'));
    });
    const summaries: EpisodeSummary[] = [];
    let invalid = 0;
    for (const [key, value] of entries) {
      try {
        summaries.push(summarize(parseStoredTrace(value, `stored episode ${String(key)}`)));
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        invalid++;
      }
    }
    await this.#write('episode index', (_episodes, store) => {
      store.clear();
      for (const s of summaries) store.put(s, s.id);
    });
    return invalid;
  }
}
