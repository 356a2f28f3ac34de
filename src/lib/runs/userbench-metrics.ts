/**
 * UserBench's figures, as eval.py's `post_process_results` computes them: for
 * each task, the per-turn rewards of its LAST rollout; then, averaged over
 * tasks, the best turn (micro_max, printed as the "Pass k reward"), the mean
 * turn (micro_avg), and how many turns scored exactly 1.0 (a best option) and
 * 0.8 (a correct, not best, option). Pure over slot results.
 */
import type { SlotResult } from './record.ts';

interface UserBenchFigures {
  /** Tasks with a finished rollout (eval.py: every task of the env). */
  tasks: number;
  microMax: number;
  microAvg: number;
  /** eval.py's avg_number_of_1: best options picked per task. */
  avgNumberOf1: number;
  /** eval.py's avg_number_of_08: correct-but-not-best options picked per task. */
  avgNumberOf08: number;
}

/**
 * eval.py's arithmetic over one reward list per task. An empty list scores 0
 * for mean and max, as the original's guards do (its failed rollouts carry [0]).
 */
export function postProcessResults(turnScoresPerTask: readonly (readonly number[])[]): UserBenchFigures | undefined {
  const n = turnScoresPerTask.length;
  if (n === 0) return undefined; // the original divides by zero here
  const numberOf1: number[] = [];
  const numberOf08: number[] = [];
  const microAvg: number[] = [];
  const microMax: number[] = [];
  for (const scores of turnScoresPerTask) {
    // list.count compares with ==: 1 and 1.0 are the same number here too.
    numberOf1.push(scores.filter((r) => r === 1.0).length);
    numberOf08.push(scores.filter((r) => r === 0.8).length);
    microAvg.push(scores.length > 0 ? pySum(scores) / scores.length : 0);
    microMax.push(scores.length > 0 ? Math.max(...scores) : 0);
  }
  return {
    tasks: n,
    microAvg: pySum(microAvg) / n,
    microMax: pySum(microMax) / n,
    avgNumberOf08: pySum(numberOf08) / n,
    avgNumberOf1: pySum(numberOf1) / n,
  };
}

/** Python's built-in sum over floats: plain left-to-right addition from 0. */
function pySum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/**
 * Each task's last rollout: the finished result with the highest trial, in
 * task order. eval.py scores only `reward[-1]` even when --pass_k cached more.
 */
export function lastRolloutPerTask(results: readonly SlotResult[]): SlotResult[] {
  const last = new Map<number, SlotResult>();
  for (const r of results) {
    const seen = last.get(r.taskIndex);
    if (!seen || r.trial > seen.trial) last.set(r.taskIndex, r);
  }
  return [...last.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}

export interface UserBenchSummary extends UserBenchFigures {
  /** Mean preferences the agent asked for and got (type-2 questions) per episode, over all finished episodes. */
  meanActiveElicited: number | undefined;
  /** Mean preferences the user volunteered after off-topic turns, per episode. */
  meanPassiveElicited: number | undefined;
}

function detailNumber(r: SlotResult, key: string): number | undefined {
  const v = r.rewardDetails?.[key];
  return typeof v === 'number' ? v : undefined;
}

function meanOf(xs: number[]): number | undefined {
  return xs.length > 0 ? pySum(xs) / xs.length : undefined;
}

/** The figures for one configuration's finished episodes; undefined when none has per-turn rewards. */
export function userBenchSummary(results: readonly SlotResult[]): UserBenchSummary | undefined {
  const scored = results.filter((r) => r.turnRewards !== undefined);
  const figures = postProcessResults(lastRolloutPerTask(scored).map((r) => r.turnRewards ?? []));
  if (!figures) return undefined;
  const active = scored.flatMap((r) => detailNumber(r, 'active_elicited_preferences') ?? []);
  const passive = scored.flatMap((r) => detailNumber(r, 'passive_elicited_preferences') ?? []);
  return { ...figures, meanActiveElicited: meanOf(active), meanPassiveElicited: meanOf(passive) };
}
