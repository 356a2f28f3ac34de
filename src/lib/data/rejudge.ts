import { criticErrorVerdict } from '../critic/health.ts';
import type { Critic, CriticInput } from '../critic/critic-interface.ts';
import { AbortedError } from '../errors.ts';
import type { Verdict } from '../contracts.ts';
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
interface JudgeOnceOptions {
  signal: AbortSignal;
  /** A critic taking longer is recorded as an `error` verdict with code `timeout`, as in the loop. */
  timeoutMs?: number | undefined;
  now?: () => number;
}

/**
 * One verdict on one recorded critic input, as the loop would get it: the
 * critic builds its own prompt; infrastructure failures (overflow, timeout,
 * network) become `error` verdicts with their code; aborting throws AbortedError.
 */
export async function judgeOnce(critic: Critic, input: CriticInput, opts: JudgeOnceOptions): Promise<Verdict> {
  if (opts.signal.aborted) throw new AbortedError();
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const timeout = opts.timeoutMs === undefined ? undefined : AbortSignal.timeout(opts.timeoutMs);
  const signal = timeout ? AbortSignal.any([opts.signal, timeout]) : opts.signal;
  try {
    return await critic.judge(input, signal);
  } catch (err) {
    if (opts.signal.aborted) throw new AbortedError();
    return criticErrorVerdict(err, timeout?.aborted ? opts.timeoutMs : undefined, now() - started, critic.label);
  }
}

export async function rejudge(points: readonly DecisionPoint[], critic: Critic, opts: RejudgeOptions): Promise<Map<string, Verdict>> {
  const out = new Map<string, Verdict>();
  let done = 0;
  for (const p of points) {
    const verdict = await judgeOnce(critic, p.input, opts);
    out.set(p.key, verdict);
    done++;
    opts.onProgress?.(done, points.length, verdict);
  }
  return out;
}
