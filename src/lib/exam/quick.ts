/**
 * `quick`: the demo-sized exam. A fixed, stratified sample of 60 items from
 * the real and mutated airline sets: half `approve`, half `revise`; within
 * each label the tools take turns (in name order), each tool's items in a
 * seeded hash order, until the label's share is full. The same sources and
 * seed always give the same sample.
 */
import { hash32 } from '../data/dataset.ts';
import type { ExamItem, ExamLabel } from './schema.ts';

export const QUICK_SET = 'quick';
const QUICK_SIZE = 60;
const QUICK_SEED = 'spotter-quick-1';

function roundRobinByTool(items: readonly ExamItem[], want: number, seed: string): ExamItem[] {
  const byTool = new Map<string, ExamItem[]>();
  for (const it of items) {
    const list = byTool.get(it.tool) ?? [];
    list.push(it);
    byTool.set(it.tool, list);
  }
  const queues = [...byTool.keys()].sort().map((tool) =>
    (byTool.get(tool) ?? [])
      .map((it) => ({ it, h: hash32(`${seed}\u0000${it.id}`) }))
      .sort((a, b) => a.h - b.h || a.it.id.localeCompare(b.it.id))
      .map((x) => x.it),
  );
  const out: ExamItem[] = [];
  for (let round = 0; out.length < want && queues.some((q) => q.length > round); round++) {
    for (const q of queues) {
      const it = q[round];
      if (it && out.length < want) out.push(it);
    }
  }
  return out;
}

/** The sample, approve items first, each label in the order drawn; items keep their ids, with `set: 'quick'`. */
export function quickSample(pool: readonly ExamItem[], size: number = QUICK_SIZE, seed: string = QUICK_SEED): ExamItem[] {
  const labels: readonly ExamLabel[] = ['approve', 'revise'];
  const half = Math.floor(size / 2);
  return labels.flatMap((label, i) =>
    roundRobinByTool(
      pool.filter((it) => it.label === label),
      i === 0 ? half : size - half,
      `${seed}\u0000${label}`,
    ).map((it) => ({ ...it, set: QUICK_SET })),
  );
}
