/**
 * Exam files: one ExamItem per line (JSONL), as `exam export` writes them and
 * the app imports them. A bad file is rejected whole, naming the line and the
 * field.
 */
import { ValidationError } from '../errors.ts';
import { formatPath } from '../envs/tau-bench/pack.ts';
import { ExamItemSchema, type ExamItem } from './schema.ts';

export function examItemsJsonl(items: readonly ExamItem[]): string {
  return items.map((i) => `${JSON.stringify(i)}\n`).join('');
}

export function parseExamItemsJsonl(text: string, where: string): ExamItem[] {
  const items: ExamItem[] = [];
  const ids = new Set<string>();
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    const at = `${where}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new ValidationError(at, `not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const r = ExamItemSchema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new ValidationError(at, issue ? `${formatPath(issue.path)}: ${issue.message}` : 'invalid');
    }
    if (ids.has(r.data.id)) throw new ValidationError(at, `id: "${r.data.id}" appears twice`);
    ids.add(r.data.id);
    items.push(r.data);
  }
  return items;
}
