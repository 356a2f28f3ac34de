import { environmentName } from '../../envs/environment.ts';
import type { EpisodeTrace } from '../../traces/schema.ts';
import { taskKeyOf } from '../points.ts';

export interface HardTask {
  taskKey: string;
  environment: string;
  taskIndex: number | undefined;
  runs: number;
  passes: number;
  /** `always-fails`: no run passed; `inconsistent`: some did, some did not. */
  reason: 'always-fails' | 'inconsistent';
}

/**
 * Hard-task mining: from several actor-alone (mode `off`), scored runs per
 * task, keep the tasks the actor fails on every time or only sometimes;
 * there the critic's help is worth the most. Tasks with fewer than `minRuns`
 * scored runs are not judged. Hardest first (lowest pass rate), then by key.
 */
export function mineHardTasks(traces: readonly EpisodeTrace[], minRuns = 2): HardTask[] {
  const byTask = new Map<string, { environment: string; taskIndex: number | undefined; runs: number; passes: number }>();
  for (const t of traces) {
    if (t.meta.mode !== 'off' || t.reward === undefined || t.meta.taskIndex === undefined) continue;
    if (t.status !== 'done' && t.status !== 'max_steps') continue;
    const key = taskKeyOf(t);
    const s = byTask.get(key) ?? { environment: environmentName(t.meta.environment), taskIndex: t.meta.taskIndex, runs: 0, passes: 0 };
    s.runs++;
    if (t.reward >= 1) s.passes++;
    byTask.set(key, s);
  }
  const out: HardTask[] = [];
  for (const [taskKey, s] of byTask) {
    if (s.runs < minRuns || s.passes === s.runs) continue;
    out.push({ taskKey, ...s, reason: s.passes === 0 ? 'always-fails' : 'inconsistent' });
  }
  return out.sort((a, b) => a.passes / a.runs - b.passes / b.runs || a.taskKey.localeCompare(b.taskKey));
}
