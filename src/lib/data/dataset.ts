import type { TrainingExample } from './examples.ts';

/**
 * Drops examples whose prompt and target repeat an earlier one (the same
 * proposal seen in several runs). Counts `conflicts`: prompts kept with both
 * an approve and a revise target, which a trainer would see contradict each other.
 */
export function dedupe(examples: readonly TrainingExample[]): { examples: TrainingExample[]; removed: number; conflicts: number } {
  const seen = new Set<string>();
  const decisions = new Map<string, Set<string>>();
  const out: TrainingExample[] = [];
  for (const e of examples) {
    const prompt = e.promptHash;
    const id = `${prompt}\u0000${e.completion}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(e);
    const d = decisions.get(prompt) ?? new Set<string>();
    d.add(e.target.decision);
    decisions.set(prompt, d);
  }
  const conflicts = [...decisions.values()].filter((d) => d.size > 1).length;
  return { examples: out, removed: examples.length - out.length, conflicts };
}

/** FNV-1a 32-bit: a small, stable string hash, so a seed gives the same split everywhere. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export interface Split {
  train: TrainingExample[];
  validation: TrainingExample[];
  trainTasks: string[];
  validationTasks: string[];
}

/**
 * Splits by task, never by example, so no task is in both sets (examples of
 * one task share most of their prompt). Tasks are ordered by a seeded hash
 * and the first round(n × fraction) go to validation: at least one when
 * there are two or more tasks and fraction > 0, never all of them.
 */
export function splitByTask(examples: readonly TrainingExample[], validationFraction: number, seed: string): Split {
  const tasks = [...new Set(examples.map((e) => e.taskKey))].sort();
  const order = tasks
    .map((t) => ({ t, h: hash32(`${seed}\u0000${t}`) }))
    .sort((a, b) => a.h - b.h || a.t.localeCompare(b.t))
    .map((x) => x.t);
  let n = Math.round(tasks.length * Math.min(Math.max(validationFraction, 0), 1));
  if (validationFraction > 0 && tasks.length >= 2) n = Math.min(Math.max(n, 1), tasks.length - 1);
  if (tasks.length < 2) n = 0;
  const val = new Set(order.slice(0, n));
  return {
    train: examples.filter((e) => !val.has(e.taskKey)),
    validation: examples.filter((e) => val.has(e.taskKey)),
    trainTasks: tasks.filter((t) => !val.has(t)),
    validationTasks: tasks.filter((t) => val.has(t)),
  };
}
