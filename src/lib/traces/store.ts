import { createStore, del, get, set, values, type UseStore } from 'idb-keyval';
import { StorageError, ValidationError } from '../errors.ts';
import type { TraceSink } from './recorder.ts';
import { EpisodeTraceSchema, type EpisodeTrace } from './schema.ts';

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

/** Parses a stored value; an invalid record is reported, never returned half-typed. */
export function parseStoredTrace(value: unknown, where: string): EpisodeTrace {
  const r = EpisodeTraceSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ValidationError(where, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** Episode traces in IndexedDB, in a database of their own. */
export class TraceStore implements TraceSink {
  readonly #store: UseStore;

  constructor(dbName = 'spotter-traces', storeName = 'episodes') {
    this.#store = createStore(dbName, storeName);
  }

  async put(trace: EpisodeTrace): Promise<void> {
    try {
      await set(trace.id, trace, this.#store);
    } catch (err) {
      throw toStorageError(err, `episode ${trace.id}`);
    }
  }

  async get(id: string): Promise<EpisodeTrace | undefined> {
    const value: unknown = await get(id, this.#store);
    return value === undefined ? undefined : parseStoredTrace(value, `stored episode ${id}`);
  }

  /** Every valid trace, newest first; invalid records are skipped and counted. */
  async list(): Promise<{ traces: EpisodeTrace[]; invalid: number }> {
    const raw: unknown[] = await values(this.#store);
    const traces: EpisodeTrace[] = [];
    let invalid = 0;
    for (const v of raw) {
      const r = EpisodeTraceSchema.safeParse(v);
      if (r.success) traces.push(r.data);
      else invalid++;
    }
    traces.sort((a, b) => b.createdAt - a.createdAt);
    return { traces, invalid };
  }

  async delete(id: string): Promise<void> {
    await del(id, this.#store);
  }
}
