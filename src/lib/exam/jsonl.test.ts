import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { examFileName, examToJsonl, parseExamJsonl } from './jsonl.ts';
import type { ExamItem } from './schema.ts';
import { buildExamSet } from './sets.ts';
import { loadExamSourcesFromDir } from './sources-node.ts';

let quick: ExamItem[] = [];
beforeAll(async () => {
  quick = buildExamSet('quick', await loadExamSourcesFromDir());
}, 60_000);

function rejection(text: string): string {
  try {
    parseExamJsonl(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('exam JSONL', () => {
  it('round-trips a set, one item per line with id, label and why', () => {
    const text = examToJsonl(quick);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(60);
    for (const l of lines) expect(Object.keys(JSON.parse(l) as object)).toEqual(expect.arrayContaining(['schemaVersion', 'id', 'label', 'why', 'input']));
    expect(parseExamJsonl(text)).toEqual(quick);
    // A byte-order mark and blank lines are fine.
    expect(parseExamJsonl(`\ufeff${text}\n\n`)).toEqual(quick);
    expect(examFileName('tau-airline-gpt4o')).toBe('spotter-exam-tau-airline-gpt4o.jsonl');
    expect(examFileName('my set/2')).toBe('spotter-exam-my_set_2.jsonl');
  });

  it('rejects the whole file at the first bad line, naming the line and the field', () => {
    const lines = examToJsonl(quick).trimEnd().split('\n');
    const withLine = (i: number, line: string) => lines.map((l, k) => (k === i ? line : l)).join('\n');
    const edit = (i: number, f: (o: Record<string, unknown>) => void) => {
      const o = JSON.parse(lines[i] ?? '{}') as Record<string, unknown>;
      f(o);
      return withLine(i, JSON.stringify(o));
    };
    expect(rejection(edit(6, (o) => (o.label = 'maybe')))).toMatch(/^line 7: label: /);
    expect(rejection(edit(40, (o) => delete o.why))).toMatch(/^line 41: why: /);
    expect(rejection(edit(3, (o) => ((o.input as Record<string, unknown>).history = 'x')))).toMatch(/^line 4: input\.history: /);
    expect(rejection(edit(9, (o) => (o.schemaVersion = 99)))).toMatch(/^line 10: schemaVersion: /);
    expect(rejection(withLine(59, (lines[59] ?? '').slice(0, -2)))).toMatch(/^line 60: not valid JSON/);
    expect(rejection(withLine(12, lines[2] ?? ''))).toMatch(/^line 13: id: ".+" repeats line 3$/);
    expect(rejection('\n\n')).toBe('file: no exam items in it');
  });
});
