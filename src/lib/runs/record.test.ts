import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { IdbRunStore, newRunRecord, parseRunRecord } from './record.ts';
import { retailRunSpec } from '../../../tests/fixtures/run-specs.ts';

/** A version-1 record as the fixture holds it, read only as far as these tests look. */
const RunRecordV1Double = z.looseObject({
  schemaVersion: z.literal(1),
  spec: z.looseObject({ id: z.string(), domain: z.string(), oneChoice: z.boolean().optional(), tasksFile: z.string().optional(), scenarioFiles: z.array(z.string()).optional() }),
  results: z.record(z.string(), z.unknown()),
});

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

describe('run records of version 1 (spec.domain a string, UserBench options beside it)', () => {
  const v1: unknown[] = JSON.parse(readFileSync(new URL('../../../tests/fixtures/run-records/v1-records.json', import.meta.url), 'utf8'));

  it('upgrade to version 2 with the environment as data, every other field and every result kept', () => {
    const [tau, ub, interrupted] = v1.map((r, i) => parseRunRecord(r, `record ${i}`));
    expect(tau?.schemaVersion).toBe(2);
    expect(tau?.spec.environment).toEqual({ family: 'tau-bench', domain: 'airline' });
    expect(ub?.spec.environment).toEqual({
      family: 'userbench',
      domain: 'travel33',
      oneChoice: true,
      tasksFile: 'tasks/sample_scenarios_train_rows.json',
      scenarioFiles: ['scenarios/testtask272_flight_apartment.json', 'scenarios/testtask733_rentalcar_restaurant.json'],
    });
    expect(interrupted).toMatchObject({ status: 'running', spec: { environment: { family: 'tau-bench', domain: 'retail' }, split: 'dev' } });
    // Nothing else changes: the spec less its old fields, and the results, equal what was stored.
    v1.forEach((raw, i) => {
      const old = RunRecordV1Double.parse(raw);
      const now = parseRunRecord(raw, `record ${i}`);
      const { domain: _d, oneChoice: _o, tasksFile: _t, scenarioFiles: _s, ...rest } = old.spec;
      expect({ ...now.spec, environment: undefined }).toEqual({ ...rest, environment: undefined });
      expect(now.results).toEqual(old.results);
      expect(Object.keys(now.results).length).toBe(Object.keys(old.results).length);
    });
    expect(Object.keys(tau?.results ?? {})).toHaveLength(8);
    expect(tau?.results['c1-t4-r1']).toMatchObject({ reward: 0, taskIndex: 4, trial: 1 });
  });

  it('upgrade when read from the runs database, and are written back in version 2', async () => {
    const old = await openDB('runs-v1', 1, { upgrade: (db) => void db.createObjectStore('runs') });
    for (const r of v1) {
      const rec = RunRecordV1Double.parse(r);
      await old.put('runs', r, rec.spec.id);
    }
    old.close();
    const store = new IdbRunStore('runs-v1', 'runs');
    const listed = await store.list();
    expect(listed.map((r) => r.spec.environment.domain).sort()).toEqual(['airline', 'retail', 'travel33']);
    const one = await store.get('headless-2026-12-01T11-00-00-000Z');
    expect(one?.spec.environment.family).toBe('userbench');
    if (!one) throw new Error('missing');
    await store.put(one);
    const raw = await openDB('runs-v1');
    expect(await raw.get('runs', one.spec.id)).toMatchObject({ schemaVersion: 2, spec: { environment: { domain: 'travel33' } } });
    expect(await raw.get('runs', one.spec.id)).not.toHaveProperty('spec.domain');
    raw.close();
  });

  it('name the record and the field when a version-1 spec names no benchmark', () => {
    const broken = { ...RunRecordV1Double.parse(v1[0]), spec: { ...RunRecordV1Double.parse(v1[0]).spec, domain: 'bank' } };
    expect(() => parseRunRecord(broken, 'stored run x')).toThrow(/stored run x.*schemaVersion|stored run x.*domain/);
  });
});
