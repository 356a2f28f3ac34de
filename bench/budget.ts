/**
 * The prompt budget on real-length tau-bench episodes (both domains, every
 * test task): critic prompt tokens per step before and after the budget, the
 * characters it cut, and overflows, at each window. Tokens are counted with
 * the conservative estimate (budget.ts): the real critics' tokenizers are not
 * available offline.
 */
import type { TauPack } from '../src/lib/envs/tau-bench/pack.ts';
import type { TauDomain } from '../src/lib/envs/environment.ts';
import { percentile } from '../src/lib/percentiles.ts';
import { measureBudget, realLengthEpisodes, type BudgetMeasure } from '../tests/fixtures/real-length-episodes.ts';
import { estimateTokens, memoCounter } from '../src/lib/critic/prompt.ts';

export const BENCH_WINDOWS = [4096, 8192, 16384] as const;

export interface BudgetBenchRow extends BudgetMeasure {
  domain: TauDomain;
  episodes: number;
}

export function benchBudget(pack: TauPack): BudgetBenchRow[] {
  const rows: BudgetBenchRow[] = [];
  const count = memoCounter(estimateTokens);
  for (const domain of ['retail', 'airline'] as const) {
    const episodes = realLengthEpisodes(pack, domain);
    for (const window of BENCH_WINDOWS) rows.push({ domain, episodes: episodes.length, ...measureBudget(episodes, window, count) });
  }
  return rows;
}

const stats = (xs: readonly number[]) => [50, 90, 100].map((p) => Math.round(percentile(xs, p) ?? NaN).toLocaleString('en-US')).join(' / ');

export function formatBudgetBench(rows: readonly BudgetBenchRow[]): string {
  const lines = [
    'Critic prompt budget, real-length tau-bench episodes (every test task; tokens estimated at 3 chars/token)',
    'domain   episodes  steps  window  tokens/step before: median / p90 / max  after: median / p90 / max  shortened steps  chars cut   overflows',
  ];
  for (const r of rows) {
    lines.push(
      `${r.domain.padEnd(8)} ${String(r.episodes).padStart(8)}  ${String(r.points).padStart(5)}  ${String(r.window).padStart(6)}  ${stats(r.before).padStart(36)}  ${stats(r.after).padStart(25)}  ${String(r.shortened).padStart(15)}  ${r.shortenedChars.toLocaleString('en-US').padStart(10)}  ${String(r.overflows).padStart(9)}`,
    );
  }
  return lines.join('\n');
}
