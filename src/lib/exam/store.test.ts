import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { EXAM_RUN_VERSION, ExamStore, type ExamRun } from './store.ts';
import type { ExamRecord } from './schema.ts';

const run = (id: string, createdAt: number): ExamRun => ({
  schemaVersion: EXAM_RUN_VERSION,
  id,
  set: 'quick',
  itemIds: ['airline/0/0/3', 'airline/0/0/7', 'airline/1/2/5'],
  critic: { label: 'tiny', model: 'tiny-critic', engine: 'transformers', device: 'wasm', quantization: 'fp32', contextWindow: 2048 },
  createdAt,
  updatedAt: createdAt,
  status: 'running',
});

const rec = (id: string, decision: ExamRecord['decision']): ExamRecord => ({ id, label: 'approve', tool: 'book_reservation', domain: 'airline', decision, latencyMs: 12 });

describe('ExamStore', () => {
  it('keeps each run and its records apart, a prefix-sharing run id included', async () => {
    const store = new ExamStore({ name: 'exam-a', upgrades: [(db) => void db.createObjectStore('runs'), (db) => void db.createObjectStore('records'), (db) => void db.createObjectStore('sets')] });
    await store.putRun(run('r1', 2));
    await store.putRun(run('r', 1));
    await store.putRecord('r1', rec('airline/0/0/3', 'approve'));
    await store.putRecord('r1', rec('airline/0/0/7', 'failed'));
    await store.putRecord('r', rec('airline/1/2/5', 'revise'));
    // The same item again replaces its record: a run holds one verdict per item.
    await store.putRecord('r1', rec('airline/0/0/7', 'revise'));
    expect((await store.records('r1')).map((r) => [r.id, r.decision])).toEqual([
      ['airline/0/0/3', 'approve'],
      ['airline/0/0/7', 'revise'],
    ]);
    expect((await store.records('r')).map((r) => r.id)).toEqual(['airline/1/2/5']);
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['r', 'r1']);
    await store.deleteRun('r1');
    expect(await store.records('r1')).toEqual([]);
    expect(await store.getRun('r1')).toBeUndefined();
    expect((await store.records('r')).length).toBe(1);
  });

  it('skips invalid stored runs and records without losing them', async () => {
    const store = new ExamStore({ name: 'exam-b', upgrades: [(db) => void db.createObjectStore('runs'), (db) => void db.createObjectStore('records'), (db) => void db.createObjectStore('sets')] });
    await store.putRun(run('ok', 1));
    await store.putRecord('ok', rec('airline/0/0/3', 'approve'));
    const db = await openDB('exam-b');
    await db.put('runs', { not: 'a run' }, 'junk');
    await db.put('records', { id: 'x' }, 'ok\u0000x');
    db.close();
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['ok']);
    expect((await store.records('ok')).map((r) => r.id)).toEqual(['airline/0/0/3']);
    await expect(store.getRun('junk')).rejects.toThrow(/stored exam run junk/);
  });

  it('writes an imported run and its records all or nothing', async () => {
    const store = new ExamStore({ name: 'exam-c', upgrades: [(db) => void db.createObjectStore('runs'), (db) => void db.createObjectStore('records'), (db) => void db.createObjectStore('sets')] });
    await store.putRunWithRecords({ ...run('imp', 5), status: 'imported', source: 'laptop.json' }, [rec('a', 'approve'), rec('b', 'unparsed')]);
    expect((await store.records('imp')).map((r) => r.decision)).toEqual(['approve', 'unparsed']);
    expect((await store.getRun('imp'))?.source).toBe('laptop.json');
  });
});
