import { describe, expect, it } from 'vitest';
import { StorageError } from '../errors.ts';
import { formatBytes } from '../format-bytes.ts';
import { ensureRoom, requestPersistence, storageStatus, type StorageApi } from './storage-status.ts';

/** storageApiDouble: Node has no navigator.storage, so a fixed estimate stands in for the browser's. */
function storageApiDouble(usage: number, quota: number): StorageApi & { persistCalls: number } {
  let persisted = false;
  return {
    persistCalls: 0,
    estimate: () => Promise.resolve({ usage, quota }),
    persist() {
      this.persistCalls++;
      persisted = true;
      return Promise.resolve(true);
    },
    persisted: () => Promise.resolve(persisted),
  };
}

describe('storage care', () => {
  it('reports usage, quota and persistence; requests persistence', async () => {
    const api = storageApiDouble(5_000_000, 100_000_000);
    expect(await storageStatus(api)).toEqual({ usage: 5_000_000, quota: 100_000_000, persisted: false });
    expect(await requestPersistence(api)).toBe(true);
    expect(api.persistCalls).toBe(1);
    expect((await storageStatus(api))?.persisted).toBe(true);
  });

  it('is undefined/false where the browser has no storage API', async () => {
    expect(await storageStatus(undefined)).toBeUndefined();
    expect(await requestPersistence({})).toBe(false);
  });

  it('refuses a write that cannot fit with a clear quota error', async () => {
    const api = storageApiDouble(90 * 2 ** 20, 100 * 2 ** 20);
    await expect(ensureRoom(1000, 'the import', api)).resolves.toBeUndefined();
    const err = await ensureRoom(6 * 2 ** 20, 'the import', api).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ quotaExceeded: true });
    expect(String(err)).toMatch(/Not enough browser storage for the import: needs about 12 MB, 10 MB free of 100 MB/);
  });

  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(250 * 2 ** 20)).toBe('250 MB');
  });
});
