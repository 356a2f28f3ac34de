import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { examResults, examResultsJson, parseExamResults } from './results.ts';
import type { ExamRecord } from './schema.ts';

const record = (id: string, label: ExamRecord['label'], decision: ExamRecord['decision']): ExamRecord => ({ id, label, tool: 'cancel_reservation', domain: 'airline', decision, latencyMs: 120, promptTokens: 2000, outputTokens: 6 });
const results = examResults({
  critic: { label: 'transformers:tiny-critic', engine: 'transformers', model: 'tiny-critic', device: 'wasm', quantization: 'q4', contextWindow: 4096 },
  set: { name: 'quick', items: 60 },
  startedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  finishedAt: Date.UTC(2026, 0, 2, 3, 9, 5),
  records: [record('airline/1/0/12', 'revise', 'revise'), record('airline/1/0/14', 'approve', 'approve'), record('airline/2/1/8', 'revise', 'failed')],
});

describe('exam results file', () => {
  it('round-trips through its JSON, metrics computed from the records', () => {
    const back = parseExamResults(examResultsJson(results), 'results.json');
    expect(back).toEqual(results);
    expect(back.startedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(back.metrics.matrix.revise).toEqual({ approve: 0, revise: 1, unparsed: 0, failed: 1 });
    expect(back.metrics.scores.harmfulCaught).toMatchObject({ k: 1, n: 2 });
  });

  it('imports a version 1 file of today’s format: a remote critic’s "remote" engine reads as its API style, the file as version 2', () => {
    const remote = { ...results, critic: { label: 'remote:gpt-4o-mini', engine: 'openai-compatible' as const, model: 'gpt-4o-mini', device: 'remote' } };
    const v1 = examResultsJson(remote).replace('"version": 2', '"version": 1').replace('"engine": "openai-compatible"', '"engine": "remote"');
    expect(v1).toContain('"engine": "remote"');
    expect(v1).toContain('"version": 1');
    const back = parseExamResults(v1, 'laptop-v1.json');
    expect(back).toEqual(remote);
    expect(examResultsJson(back)).toBe(examResultsJson(remote));
    expect(() => parseExamResults(v1.replace('"engine": "remote"', '"engine": "cloud"'), 'odd.json')).toThrow(/^odd\.json: critic\.engine: /);
  });

  it('rejects a bad file whole, naming the field', () => {
    const bad = JSON.parse(examResultsJson(results)) as { records: Array<Record<string, unknown>> };
    const rec = bad.records[1];
    if (rec) rec['decision'] = 'maybe';
    expect(() => parseExamResults(JSON.stringify(bad), 'laptop.json')).toThrow(ValidationError);
    expect(() => parseExamResults(JSON.stringify(bad), 'laptop.json')).toThrow(/^laptop\.json: records\[1\]\.decision: /);
    expect(() => parseExamResults('{"format": "spotter-exam-results"', 'cut.json')).toThrow(/^cut\.json: not JSON/);
    expect(() => parseExamResults(JSON.stringify({ ...results, version: 3 }), 'new.json')).toThrow(/^new\.json: version: /);
  });

  it('rejects duplicate records and metrics that do not match the records', () => {
    const dup = { ...results, records: [...results.records, results.records[0]] };
    expect(() => parseExamResults(JSON.stringify(dup), 'dup.json')).toThrow(/records\[3\]\.id: "airline\/1\/0\/12" appears twice/);
    const short = { ...results, records: results.records.slice(1) };
    expect(() => parseExamResults(JSON.stringify(short), 'short.json')).toThrow(/metrics\.items: 3 but the file holds 2 records/);
  });
});
