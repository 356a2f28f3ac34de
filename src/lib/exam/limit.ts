/**
 * A shorter exam from a set: the first N items taken in turn from each label,
 * so a limited run still has both labels (a set may list all its `approve`
 * items first, as `quick` does). The order inside each label is kept, so the
 * same N always gives the same items.
 */
import type { ExamItem } from './schema.ts';

export function balancedPrefix(items: readonly ExamItem[], n: number): ExamItem[] {
  if (n <= 0 || n >= items.length) return [...items];
  const approve = items.filter((i) => i.label === 'approve');
  const revise = items.filter((i) => i.label === 'revise');
  const out: ExamItem[] = [];
  for (let k = 0; out.length < n && (k < approve.length || k < revise.length); k++) {
    const r = revise[k];
    const a = approve[k];
    if (r) out.push(r);
    if (a && out.length < n) out.push(a);
  }
  return out;
}
