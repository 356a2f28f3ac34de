import type { z } from 'zod';

/**
 * A value kept in local storage, validated on the way in: anything missing,
 * unreadable or of an old shape falls back to the default instead of breaking the app.
 */
export function loadStored<T>(storage: Storage | undefined, key: string, schema: z.ZodType<T>, fallback: T): T {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return structuredClone(fallback);
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : structuredClone(fallback);
  } catch {
    return structuredClone(fallback);
  }
}

/** Saves a value; storage that is disabled or full only costs persistence, never the session. */
export function saveStored(storage: Storage | undefined, key: string, value: unknown): void {
  try {
    storage?.setItem(key, JSON.stringify(value));
  } catch {
    // Nothing to do: the value still lives in memory for this session.
  }
}
