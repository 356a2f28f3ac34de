/**
 * pass^k as tau-bench defines it (run.py `display_metrics`, after
 * arXiv:2406.12045): a trial succeeds when its reward is within 1e-6 of 1;
 * a task with c successes out of n trials contributes C(c,k)/C(n,k); pass^k
 * is the mean over tasks. n is the number of distinct trials in the results,
 * as in the original.
 */

const REWARD_TOLERANCE = 1e-6;

export interface TrialOutcome {
  taskId: number;
  trial: number;
  reward: number;
}

export interface PassKSummary {
  /** Distinct trials (tau-bench's `num_trials`). */
  numTrials: number;
  numTasks: number;
  averageReward: number;
  /** pass^k for k = 1..numTrials, in order. */
  passK: Array<{ k: number; value: number }>;
}

export function isSuccess(reward: number): boolean {
  return reward >= 1 - REWARD_TOLERANCE && reward <= 1 + REWARD_TOLERANCE;
}

/** Binomial coefficient, exact for the small n of benchmark trials; 0 when k > n, like Python's math.comb. */
export function comb(n: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(k) || n < 0 || k < 0) {
    throw new RangeError(`comb(${n}, ${k}): arguments must be non-negative integers`);
  }
  if (k > n) return 0;
  const kk = Math.min(k, n - k);
  let r = 1;
  // Each partial product is itself a binomial coefficient, so the division is exact.
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i;
  return Math.round(r);
}

/**
 * Computes pass^k from per-trial outcomes. `numTrials` overrides the count of
 * distinct trials (the original's behaviour) for callers that know the planned n.
 * Returns undefined for no outcomes (the original divides by zero there).
 */
export function passHatK(outcomes: readonly TrialOutcome[], numTrials?: number): PassKSummary | undefined {
  if (outcomes.length === 0) return undefined;
  const n = numTrials ?? new Set(outcomes.map((o) => o.trial)).size;
  const successes = new Map<number, number>();
  let rewardSum = 0;
  for (const o of outcomes) {
    rewardSum += o.reward;
    successes.set(o.taskId, (successes.get(o.taskId) ?? 0) + (isSuccess(o.reward) ? 1 : 0));
  }
  const passK: Array<{ k: number; value: number }> = [];
  for (let k = 1; k <= n; k++) {
    let sum = 0;
    for (const c of successes.values()) sum += comb(c, k) / comb(n, k);
    passK.push({ k, value: sum / successes.size });
  }
  return { numTrials: n, numTasks: successes.size, averageReward: rewardSum / outcomes.length, passK };
}
