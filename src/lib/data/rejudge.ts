import { criticErrorVerdict } from '../critic/health.ts';
import type { Critic } from '../critic/types.ts';
import { AbortedError } from '../errors.ts';
import type { Verdict } from '../types.ts';
import type { DecisionPoint } from './points.ts';

export interface RejudgeOptions {
  signal: AbortSignal;
  /** Called after each verdict with how many of `total` are done. */
  onProgress?: (done: number, total: number, verdict: Verdict) => void;
  /** A critic taking longer is recorded as an `error` verdict, as in the loop. */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * Judges stored proposals again with another critic, without re-running the
 * actor: each point's recorded critic input goes to `critic.judge`. One at a
 * time (a local engine serves one request at a time anyway). Infrastructure
 * failures become `error` verdicts; aborting throws AbortedError.
 */
export async function rejudge(points: readonly DecisionPoint[], critic: Critic, opts: RejudgeOptions): Promise<Map<string, Verdict>> {
  const now = opts.now ?? (() => performance.now());
  const out = new Map<string, Verdict>();
  let done = 0;
  for (const p of points) {
    if (opts.signal.aborted) throw new AbortedError();
    const started = now();
    const timeout = opts.timeoutMs === undefined ? undefined : AbortSignal.timeout(opts.timeoutMs);
    const signal = timeout ? AbortSignal.any([opts.signal, timeout]) : opts.signal;
    let verdict: Verdict;
    try {
      verdict = await critic.judge(p.input, signal);
    } catch (err) {
      if (opts.signal.aborted) throw new AbortedError();
      verdict = criticErrorVerdict(err, timeout?.aborted ? opts.timeoutMs : undefined, now() - started, critic.label);
    }
    out.set(p.key, verdict);
    done++;
    opts.onProgress?.(done, points.length, verdict);
  }
  return out;
}
