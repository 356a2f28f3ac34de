/**
 * Timings for `npm run bench`: tool execution per step and episode scoring,
 * median ms over the test tasks' gold actions, per domain (Node pack source).
 */
import { createTauEnv, freshDb, goldDb, score, stepAction } from '../src/lib/envs/tau-bench/env.ts';
import { loadTauPack, type TauPack } from '../src/lib/envs/tau-bench/pack.ts';
import { defaultTauDir, nodePackSource } from '../src/lib/envs/tau-bench/pack-node.ts';
import { toJs, type PyDict } from '../src/lib/envs/tau-bench/py.ts';
import { TAU_DOMAINS } from '../src/lib/envs/environment.ts';
import { median as medianOrNull } from '../src/lib/percentiles.ts';

const median = (xs: number[]): number => medianOrNull(xs) ?? NaN;

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export async function benchTau(dir: string = defaultTauDir(), maxTasks = 20): Promise<Record<string, number>> {
  const t0 = performance.now();
  const pack: TauPack = await loadTauPack(nodePackSource(dir));
  const out: Record<string, number> = { 'tau.pack_load_ms': round3(performance.now() - t0) };

  for (const domain of TAU_DOMAINS) {
    const d = pack.domains[domain];
    const tasks = d?.tasks.test;
    if (!d || !tasks) continue;
    const stepMs: number[] = [];
    const goldMs: number[] = [];
    const scoreMs: number[] = [];
    const rewardMs: number[] = [];
    const rewardWarmMs: number[] = [];
    for (const task of tasks.slice(0, maxTasks)) {
      const db = freshDb(d);
      for (const action of task.actions) {
        const s = performance.now();
        stepAction(d, db, action);
        stepMs.push(performance.now() - s);
      }
      // First scoring of a task replays the gold actions on a fresh database; later ones reuse it.
      let s = performance.now();
      goldDb(d, task);
      goldMs.push(performance.now() - s);
      s = performance.now();
      score(d, task, db, []);
      scoreMs.push(performance.now() - s);
    }
    // Env.reward additionally hashes both databases for the record (the original's gt_data_hash).
    for (let i = 0; i < Math.min(5, tasks.length); i++) {
      const env = createTauEnv(pack, domain, i);
      const task = tasks[i];
      for (const a of task?.actions ?? []) {
        env.execute({ id: `b${i}`, name: a.name, arguments: toJsRecord(a.kwargs) });
      }
      let s = performance.now();
      await env.reward([]);
      rewardMs.push(performance.now() - s);
      // A later trial of the same task: the gold hash is cached.
      const again = createTauEnv(pack, domain, i);
      s = performance.now();
      await again.reward([]);
      rewardWarmMs.push(performance.now() - s);
    }
    out[`tau.${domain}.tool_step_median_ms`] = round3(median(stepMs));
    out[`tau.${domain}.gold_replay_median_ms`] = round3(median(goldMs));
    out[`tau.${domain}.score_median_ms`] = round3(median(scoreMs));
    out[`tau.${domain}.env_reward_first_trial_median_ms`] = round3(median(rewardMs));
    out[`tau.${domain}.env_reward_later_trials_median_ms`] = round3(median(rewardWarmMs));
  }
  return out;
}

function toJsRecord(v: PyDict): Record<string, unknown> {
  const o = toJs(v);
  return o !== null && typeof o === 'object' && !Array.isArray(o) ? Object.fromEntries(Object.entries(o)) : {};
}
