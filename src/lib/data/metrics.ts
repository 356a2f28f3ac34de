/** Small, hand-checkable statistics for critic evaluation. */

export interface Confusion {
  /** Positive class is `revise`: tp = critic revise & label revise, fp = critic revise & label approve, … */
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface Prf {
  /** null when undefined (0/0): no positive predictions, no positive labels. */
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export function prf(c: Confusion): Prf {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  // F1 = 2TP / (2TP + FP + FN): defined whenever there is any positive at all.
  const f1 = ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);
  return { precision, recall, f1 };
}

/**
 * Cohen's kappa for two raters over the same binary decisions:
 * κ = (pₒ − pₑ) / (1 − pₑ), pₒ = observed agreement, pₑ = agreement expected
 * from each rater's marginal rates. null when pₑ = 1 (both always gave the
 * same single answer: agreement is then not informative).
 */
export function cohensKappa(pairs: ReadonlyArray<readonly [boolean, boolean]>): { kappa: number | null; agreement: number | null } {
  const n = pairs.length;
  if (n === 0) return { kappa: null, agreement: null };
  let agree = 0;
  let a1 = 0;
  let b1 = 0;
  for (const [a, b] of pairs) {
    if (a === b) agree++;
    if (a) a1++;
    if (b) b1++;
  }
  // In counts, so that exact cases stay exact: κ = (n·agree − E) / (n² − E), E = n²·pₑ.
  const e = a1 * b1 + (n - a1) * (n - b1);
  return { kappa: e === n * n ? null : (n * agree - e) / (n * n - e), agreement: agree / n };
}

export { median, percentile } from '../percentiles.ts';
