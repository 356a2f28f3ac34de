import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { migrateRecord, parseTraceRecord } from './migrations.ts';
import { TRACE_SCHEMA_VERSION } from './schema.ts';
import { syntheticTrace } from '../../../tests/fixtures/synthetic-traces.ts';

/** A record as the version-0 prototype stored it: no schemaVersion, finishedAt, no updatedAt, no failureRule. */
function v0Record(i: number): Record<string, unknown> {
  const { schemaVersion: _v, updatedAt: _u, endedAt, meta, ...rest } = syntheticTrace(i);
  const { failureRule: _f, ...meta0 } = meta;
  return { ...rest, meta: meta0, finishedAt: endedAt };
}

describe('migrations', () => {
  it('migrates a v0 record to the current version', () => {
    const t = parseTraceRecord(v0Record(7), 'test');
    expect(t.schemaVersion).toBe(TRACE_SCHEMA_VERSION);
    expect(t.endedAt).toBe(syntheticTrace(7).endedAt);
    expect(t.updatedAt).toBe(syntheticTrace(7).endedAt);
    expect(t.meta.failureRule).toBe('fail-open');
    expect(t).not.toHaveProperty('finishedAt');
  });

  it('leaves a current record as it is', () => {
    expect(parseTraceRecord(syntheticTrace(3), 'x')).toEqual(syntheticTrace(3));
  });

  it('refuses newer and nonsense versions, naming where', () => {
    expect(() => migrateRecord({ ...syntheticTrace(1), schemaVersion: 99 }, 'line 4')).toThrow(/^line 4: schemaVersion: 99 is newer/);
    expect(() => migrateRecord({ ...syntheticTrace(1), schemaVersion: 'one' }, 'line 4')).toThrow(ValidationError);
    expect(() => migrateRecord([1, 2], 'line 4')).toThrow(/expected an object/);
  });
});
