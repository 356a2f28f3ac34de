/**
 * The critic on τ³ (tau2-bench): prompt tokens of real-length episodes of
 * every task (tests/fixtures/tau2-real-length.ts: gold actions on the ported
 * environments, real tool outputs; telecom: dual-control episodes, the user's
 * phone actions on the user's own database) per domain, before and after the
 * budget, with the overflows, at the default window and smaller ones; the
 * whole policy against the 'sections' view (the policy sections that concern
 * the proposal). Telecom under the manual and under the workflow policy.
 * Tokens estimated at 3 chars/token.
 */
import { estimateTokens, memoCounter, type PolicyView } from '../src/lib/critic/prompt.ts';
import { DEFAULT_CRITIC_WINDOW } from '../src/lib/engines/webllm-models.ts';
import { percentile } from '../src/lib/percentiles.ts';
import { measureBudget, type BudgetMeasure } from '../tests/fixtures/real-length-episodes.ts';
import { tau2CriticEpisodes, tau2DataPresent, TAU2_CRITIC_DOMAINS, type Tau2CriticDomain } from '../tests/fixtures/tau2-real-length.ts';

export const TAU2_BENCH_WINDOWS = [DEFAULT_CRITIC_WINDOW, 8192, 4096] as const;

export interface Tau2CriticRow extends BudgetMeasure {
  domain: Tau2CriticDomain;
  episodes: number;
  /** Decision points (agent actions) per episode. */
  stepsPerEpisode: number[];
  policy: PolicyView;
}

export function benchTau2Critic(): Tau2CriticRow[] {
  if (!tau2DataPresent()) return [];
  const count = memoCounter(estimateTokens);
  const rows: Tau2CriticRow[] = [];
  for (const domain of TAU2_CRITIC_DOMAINS) {
    const episodes = tau2CriticEpisodes(domain);
    for (const window of TAU2_BENCH_WINDOWS) {
      for (const policy of ['whole', 'sections'] as const) rows.push({ domain, episodes: episodes.length, stepsPerEpisode: episodes.map((e) => e.points.length), policy, ...measureBudget(episodes, window, count, policy) });
    }
  }
  return rows;
}

/** `xs` at the percentiles `ps`, rounded, as "a / b / c" (also the telecom length comparison's). */
export const stats = (xs: readonly number[], ps: readonly number[] = [50, 90, 100]) => ps.map((p) => Math.round(percentile(xs, p) ?? NaN).toLocaleString('en-US')).join(' / ');

export function formatTau2Critic(rows: readonly Tau2CriticRow[]): string {
  if (rows.length === 0) return 'critic on tau2: skipped (../shared/tau2-bench or the rebuilt airline db is missing: run npm run fixtures)';
  const lines = [
    `Critic prompt on τ³, real-length episodes of every task (tokens estimated at 3 chars/token; default window ${DEFAULT_CRITIC_WINDOW.toLocaleString('en-US')}; telecom: dual control, phone actions on the user's db)`,
    'domain            episodes  steps  steps/episode: median / max  window  policy    whole prompt: median / p90 / max  budgeted: median / p90 / max  shortened  overflows',
  ];
  for (const r of rows) {
    lines.push(
      `${r.domain.padEnd(16)}  ${String(r.episodes).padStart(8)}  ${String(r.points).padStart(5)}  ${stats(r.stepsPerEpisode, [50, 100]).padStart(28)}  ${String(r.window).padStart(6)}  ${r.policy.padEnd(8)}  ${stats(r.before).padStart(32)}  ${stats(r.after).padStart(28)}  ${String(r.shortened).padStart(9)}  ${String(r.overflows).padStart(9)}`,
    );
  }
  return lines.join('\n');
}
