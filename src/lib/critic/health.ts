/**
 * Whether the critic actually checked anything: context overflows counted on
 * their own, and the run of consecutive critic errors that raises the "the
 * critic is not checking anything" banner. Pure over verdicts, so the step
 * view, the History list, the benchmark table and the CLI count alike.
 */
import { CONTEXT_OVERFLOW, errorMessage, SpotterError } from '../errors.ts';
import type { Step, Verdict } from '../contracts.ts';

/** This many critic errors in a row in one episode raise the banner. */
export const BLIND_AFTER_ERRORS = 3;

export const isContextOverflow = (v: Verdict | undefined): boolean => v?.decision === 'error' && v.errorCode === CONTEXT_OVERFLOW;

interface CriticHealth {
  /** Verdicts with decision 'error' (context overflows included). */
  errors: number;
  contextOverflows: number;
  /** The longest run of consecutive error verdicts. */
  longestErrorRun: number;
  /** True once BLIND_AFTER_ERRORS errors came in a row. */
  blind: boolean;
}

/** Counts over the verdicts of `steps`, in order (every proposal's verdict). */
export function criticHealth(steps: readonly Pick<Step, 'proposals'>[]): CriticHealth {
  let errors = 0;
  let contextOverflows = 0;
  let run = 0;
  let longestErrorRun = 0;
  for (const s of steps) {
    for (const p of s.proposals) {
      if (!p.verdict) continue;
      if (p.verdict.decision === 'error') {
        errors++;
        if (isContextOverflow(p.verdict)) contextOverflows++;
        longestErrorRun = Math.max(longestErrorRun, ++run);
      } else run = 0;
    }
  }
  return { errors, contextOverflows, longestErrorRun, blind: longestErrorRun >= BLIND_AFTER_ERRORS };
}

const BLIND_BANNER = 'The critic is not checking anything';

/** The banner's text for a blind critic, with why when the errors were context overflows. */
export function blindBannerText(h: CriticHealth): string {
  const why = h.contextOverflows > 0 ? `; ${h.contextOverflows} context overflow${h.contextOverflows === 1 ? '' : 's'} (the prompt did not fit the critic's window)` : '';
  return `${BLIND_BANNER}: ${h.longestErrorRun} critic errors in a row${why}. Actions went through unchecked under the failure rule.`;
}

/** The verdict recorded when a critic failed (the loop and re-judging alike): the message, and the error's code when it has one. */
export function criticErrorVerdict(err: unknown, timeoutMs: number | undefined, latencyMs: number, critic: string): Verdict {
  const error = timeoutMs !== undefined ? `Critic timed out after ${timeoutMs} ms` : errorMessage(err);
  const errorCode = timeoutMs !== undefined ? 'timeout' : err instanceof SpotterError ? err.code : undefined;
  return { decision: 'error', error, ...(errorCode ? { errorCode } : {}), latencyMs, critic };
}
