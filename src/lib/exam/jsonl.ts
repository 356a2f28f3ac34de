/**
 * Exam files: one ExamItem per line (JSONL). A file is validated whole
 * before anything is returned: one bad line rejects it, naming the line and
 * the field. The CLI's `export` and the app's import and export share it.
 */
import { formatPath } from '../envs/tau-bench/pack.ts';
import { ValidationError, errorMessage } from '../errors.ts';
import { ExamItemSchema, type ExamItem } from './schema.ts';

export function examToJsonl(items: readonly ExamItem[]): string {
  return items.map((it) => JSON.stringify(it)).join('\n') + (items.length ? '\n' : '');
}

/** Every line an ExamItem (blank lines ignored); ids unique within the file. */
export function parseExamJsonl(text: string): ExamItem[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const items: ExamItem[] = [];
  const lineOf = new Map<string, number>();
  src.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new ValidationError(where, `not valid JSON (${errorMessage(err)})`);
    }
    const r = ExamItemSchema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new ValidationError(where, issue ? `${formatPath(issue.path)}: ${issue.message}` : 'not an exam item');
    }
    const first = lineOf.get(r.data.id);
    if (first !== undefined) throw new ValidationError(where, `id: ${JSON.stringify(r.data.id)} repeats line ${first}`);
    lineOf.set(r.data.id, i + 1);
    items.push(r.data);
  });
  if (items.length === 0) throw new ValidationError('file', 'no exam items in it');
  return items;
}

/** `spotter-exam-<set>.jsonl`. */
export function examFileName(set: string): string {
  return `spotter-exam-${set.replace(/[^A-Za-z0-9._-]+/g, '_')}.jsonl`;
}
