import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageError, ValidationError } from '../errors.ts';
import { SecretInExportError, parseJsonl, toJsonl } from './jsonl.ts';
import { TraceStore } from './trace-store.ts';
import { TRACE_SCHEMA_VERSION } from './schema.ts';
import { syntheticTrace } from '../../../tests/fixtures/synthetic-traces.ts';

let n = 0;
const freshStore = () => new TraceStore(`jsonl-test-${n++}`);
const traces = (from: number, count: number) => Array.from({ length: count }, (_, k) => syntheticTrace(from + k));

function lines(text: string): string[] {
  return text.trimEnd().split('\n');
}

async function importText(store: TraceStore, text: string) {
  return store.importMany(parseJsonl(text).traces);
}

describe('toJsonl / parseJsonl', () => {
  it('round-trips, one episode per line with its schemaVersion', () => {
    const ts = traces(0, 5);
    const text = toJsonl(ts);
    expect(lines(text)).toHaveLength(5);
    for (const l of lines(text)) expect(JSON.parse(l)).toHaveProperty('schemaVersion', TRACE_SCHEMA_VERSION);
    expect(parseJsonl(text).traces).toEqual(ts);
  });

  it('refuses to export a trace containing a configured key, without repeating the key', () => {
    const key = 'sk-test-0123456789abcdef';
    const t = syntheticTrace(1);
    t.timeline.push({ type: 'user', content: `my key is ${key}`, at: 1 });
    let err: unknown;
    try {
      toJsonl([syntheticTrace(0), t], ['', 'short', key]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SecretInExportError);
    expect(String(err)).toContain(t.id);
    expect(String(err)).not.toContain(key);
    // Keys that are absent do not block; short strings are ignored.
    const text = toJsonl(traces(0, 3), ['sk-other-0123456789', 'ab']);
    expect(text).not.toContain('sk-other');
  });

  it('names the line and problem of bad JSON deep in a large file', () => {
    const ls = lines(toJsonl(traces(0, 5000)));
    ls[4999] = ls[4999]?.slice(0, -3) ?? '';
    expect(() => parseJsonl(ls.join('\n'))).toThrow(/^line 5000: not valid JSON/);
  });

  it('names the field path of a missing or wrong field', () => {
    const ls = lines(toJsonl(traces(0, 10)));
    const bad = syntheticTrace(3) as unknown as { timeline: Array<{ step?: { executed?: unknown } }> };
    const entry = bad.timeline[2];
    if (entry?.step) delete entry.step.executed;
    ls[3] = JSON.stringify(bad);
    expect(() => parseJsonl(ls.join('\n'))).toThrow(/^line 4: timeline\.2\.step\.executed: /);
    const noId: Record<string, unknown> = { ...syntheticTrace(8) };
    delete noId.id;
    ls[3] = JSON.stringify(noId);
    expect(() => parseJsonl(ls.join('\n'))).toThrow(/^line 4: id: /);
  });

  it('rejects a wrong version and a file with no episodes', () => {
    const ls = lines(toJsonl(traces(0, 3)));
    ls[2] = JSON.stringify({ ...syntheticTrace(2), schemaVersion: 7 });
    expect(() => parseJsonl(ls.join('\n'))).toThrow(/^line 3: schemaVersion: 7 is newer/);
    expect(() => parseJsonl('\n\n')).toThrow(ValidationError);
  });

  it('skips blank lines, a BOM and CRLF line ends; counts duplicates in the file', () => {
    const [a, b] = lines(toJsonl(traces(0, 2)));
    const r = parseJsonl(`\ufeff${a}\r\n\r\n${b}\r\n${a}\r\n`);
    expect(r.traces.map((t) => t.id)).toEqual(['ep-000000', 'ep-000001']);
    expect(r.duplicatesInFile).toBe(1);
  });
});

describe('TraceStore import', () => {
  const realPut = IDBObjectStore.prototype.put;
  afterEach(() => {
    IDBObjectStore.prototype.put = realPut;
  });

  it('imports, skips stored duplicates, and keeps summaries in step', async () => {
    const store = freshStore();
    await store.put(syntheticTrace(1));
    const r = await importText(store, toJsonl(traces(0, 4)));
    expect(r).toEqual({ added: 3, skipped: 1 });
    expect(await store.count()).toBe(4);
    const again = await importText(store, toJsonl(traces(0, 4)));
    expect(again).toEqual({ added: 0, skipped: 4 });
    const sums = await store.summaries();
    expect(sums.map((s) => s.id)).toEqual(['ep-000003', 'ep-000002', 'ep-000001', 'ep-000000']);
    await store.delete('ep-000002');
    expect((await store.summaries()).map((s) => s.id)).toEqual(['ep-000003', 'ep-000001', 'ep-000000']);
    expect(await store.get('ep-000002')).toBeUndefined();
  });

  it('a corrupt file leaves the store unchanged', async () => {
    const store = freshStore();
    await store.importMany(traces(0, 3));
    const ls = lines(toJsonl(traces(100, 50)));
    ls[20] = '{"schemaVersion":1,';
    expect(() => parseJsonl(ls.join('\n'))).toThrow(/^line 21: /);
    expect(await store.count()).toBe(3);
    expect((await store.summaries()).length).toBe(3);
  });

  it('maps a quota error mid-import to StorageError and writes nothing', async () => {
    const store = freshStore();
    await store.importMany(traces(0, 2));
    let calls = 0;
    // quotaExceededPutDouble: a real quota cannot be filled under fake-indexeddb, so the 5th put fails as a browser would.
    IDBObjectStore.prototype.put = function quotaExceededPutDouble(this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (++calls === 5) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut.call(this, value, key);
    };
    let err: unknown;
    try {
      await store.importMany(traces(10, 20));
    } catch (e) {
      err = e;
    }
    IDBObjectStore.prototype.put = realPut;
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ quotaExceeded: true, code: 'quota' });
    expect(String(err)).toMatch(/storage is full/);
    expect(await store.count()).toBe(2);
    expect(await store.summaries()).toHaveLength(2);
  });
});
