import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { IdbRunStore, newRunRecord } from './record.ts';
import { retailRunSpec } from '../../../tests/fixtures/run-specs.ts';

const run = newRunRecord(
  retailRunSpec({ id: 'run-old' }),
  1000,
);

describe('IdbRunStore', () => {
  it('reads the runs database idb-keyval made (version 1, one store) without upgrading it', async () => {
    const old = await openDB('runs-old', 1, { upgrade: (db) => void db.createObjectStore('runs') });
    await old.put('runs', run, run.spec.id);
    await old.put('runs', { not: 'a run' }, 'junk');
    old.close();
    const store = new IdbRunStore('runs-old', 'runs');
    expect(await store.get('run-old')).toEqual(run);
    // The invalid record is skipped, not lost, and the database keeps its version.
    expect(await store.list()).toEqual([run]);
    const after = await openDB('runs-old');
    expect(after.version).toBe(1);
    expect(await after.get('runs', 'junk')).toEqual({ not: 'a run' });
    after.close();
  });
});
