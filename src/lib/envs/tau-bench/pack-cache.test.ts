import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PackSource } from './pack.ts';
import { nodePackSource } from './pack-node.ts';
import { cachedTauPack, PackCache } from './pack-cache.ts';

const PACK = resolve(import.meta.dirname, '../../../../../shared/tau-bench');

/** The real pack folder, counting the files read. */
function countingSource(): { source: PackSource; reads: string[] } {
  const inner = nodePackSource(PACK);
  const reads: string[] = [];
  return { reads, source: { describe: inner.describe, readText: (p) => (reads.push(p), inner.readText(p)) } };
}

describe('PackCache', () => {
  it('loads each key once, concurrent callers included', async () => {
    const cache = new PackCache<number>();
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    const [a, b] = await Promise.all([cache.get('k', load), cache.get('k', load)]);
    expect([a, b, await cache.get('k', load), await cache.get('other', load)]).toEqual([1, 1, 1, 2]);
  });

  it('forgets a failed load, so the next call loads again', async () => {
    const cache = new PackCache<string>();
    await expect(cache.get('k', () => Promise.reject(new Error('missing file')))).rejects.toThrow('missing file');
    expect(await cache.get('k', () => Promise.resolve('fixed'))).toBe('fixed');
  });
});

describe('cachedTauPack over the real pack (../shared/tau-bench)', () => {
  it('reads each domain and split once per source key; another split or key loads again', async () => {
    const cache = new PackCache();
    const { source, reads } = countingSource();
    const first = await cachedTauPack(cache, 'app', () => source, 'retail', 'test');
    expect(first.domains.retail?.tasks.test?.length).toBeGreaterThan(100);
    const afterFirst = reads.length;
    expect(reads).toContain('retail/tasks_test.json');
    expect(await cachedTauPack(cache, 'app', () => source, 'retail', 'test')).toBe(first);
    expect(reads).toHaveLength(afterFirst);
    const dev = await cachedTauPack(cache, 'app', () => source, 'retail', 'dev');
    expect(dev.domains.retail?.tasks.dev?.length).toBeGreaterThan(0);
    expect(reads).toContain('retail/tasks_dev.json');
    const other = await cachedTauPack(cache, 'folder#1', () => source, 'retail', 'test');
    expect(other).not.toBe(first);
  });
});
