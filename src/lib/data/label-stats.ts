import type { TrainingExample } from './examples.ts';
import type { LabelSource } from './labels/label.ts';

interface ClassCounts {
  total: number;
  approve: number;
  revise: number;
}

export interface LabelStats extends ClassCounts {
  /** Share of `revise` among all examples (0 when there are none). */
  reviseShare: number;
  byEnvironment: Record<string, ClassCounts>;
  bySource: Partial<Record<LabelSource, ClassCounts>>;
  /** Revisions per category (uncategorised as '(none)'). */
  byCategory: Record<string, number>;
  tasks: number;
  episodes: number;
}

function bump(c: ClassCounts, decision: 'approve' | 'revise'): void {
  c.total++;
  c[decision]++;
}

const empty = (): ClassCounts => ({ total: 0, approve: 0, revise: 0 });

export function labelStats(examples: readonly TrainingExample[]): LabelStats {
  const all = empty();
  const byEnvironment: Record<string, ClassCounts> = {};
  const bySource: Partial<Record<LabelSource, ClassCounts>> = {};
  const byCategory: Record<string, number> = {};
  for (const e of examples) {
    const d = e.target.decision;
    bump(all, d);
    bump((byEnvironment[e.environment] ??= empty()), d);
    bump((bySource[e.source] ??= empty()), d);
    if (d === 'revise') {
      const c = e.target.category ?? '(none)';
      byCategory[c] = (byCategory[c] ?? 0) + 1;
    }
  }
  return {
    ...all,
    reviseShare: all.total ? all.revise / all.total : 0,
    byEnvironment,
    bySource,
    byCategory,
    tasks: new Set(examples.map((e) => e.taskKey)).size,
    episodes: new Set(examples.map((e) => e.episodeId)).size,
  };
}
