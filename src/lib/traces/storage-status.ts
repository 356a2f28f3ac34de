import { StorageError } from '../errors.ts';
import { formatBytes } from '../format-bytes.ts';

export interface StorageStatus {
  /** Bytes used by this origin, as the browser estimates it. */
  usage: number;
  /** Bytes this origin may use. */
  quota: number;
  /** Whether the browser promised not to evict this origin's data. */
  persisted: boolean;
}

/** The slice of `navigator.storage` used here; a parameter so tests can pass their own. */
export interface StorageApi {
  estimate?(): Promise<{ usage?: number; quota?: number }>;
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
}

function defaultApi(): StorageApi | undefined {
  return typeof navigator !== 'undefined' ? navigator.storage : undefined;
}

/** Usage against quota, or undefined where the browser does not say (older Safari, Node). */
export async function storageStatus(api: StorageApi | undefined = defaultApi()): Promise<StorageStatus | undefined> {
  if (!api?.estimate) return undefined;
  const e = await api.estimate();
  const persisted = api.persisted ? await api.persisted() : false;
  return { usage: e.usage ?? 0, quota: e.quota ?? 0, persisted };
}

/** Asks the browser to keep our data under storage pressure; returns whether it agreed. */
export async function requestPersistence(api: StorageApi | undefined = defaultApi()): Promise<boolean> {
  if (!api?.persist) return false;
  return api.persist();
}

/** IndexedDB stores strings as UTF-16 and adds overhead; a generous factor avoids refusing late. */
const STORED_BYTES_PER_CHAR = 2;

/**
 * Refuses up front, with a clear message, a write that cannot fit in the
 * remaining quota; the transaction itself still maps a late QuotaExceededError.
 */
export async function ensureRoom(chars: number, what: string, api: StorageApi | undefined = defaultApi()): Promise<void> {
  const s = await storageStatus(api);
  if (!s || s.quota === 0) return;
  const need = chars * STORED_BYTES_PER_CHAR;
  const free = s.quota - s.usage;
  if (need > free) {
    throw new StorageError(
      `Not enough browser storage for ${what}: needs about ${formatBytes(need)}, ${formatBytes(Math.max(0, free))} free of ${formatBytes(s.quota)}. Export and delete old episodes, then try again.`,
      true,
    );
  }
}
