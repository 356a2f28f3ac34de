/**
 * The critic exam for `npm run bench`: prompt tokens per item of every set,
 * as the budget fits them to a window (tokens estimated at 3 chars/token, as
 * a remote critic with a window counts them: the real critics' tokenizers are
 * not available offline), with the overflows at the default window (must be
 * 0); and grading throughput of the tiny model in Chromium's worker on wasm
 * (bench/pages/exam.html).
 */
import { budgetForWindow, criticPrompt, estimateTokens, memoCounter } from '../src/lib/critic/prompt.ts';
import { DEFAULT_CRITIC_WINDOW } from '../src/lib/engines/webllm-models.ts';
import type { ExamItem } from '../src/lib/exam/schema.ts';
import { percentile } from '../src/lib/percentiles.ts';

/** The default window of an in-browser critic, and a small device's. */
export const EXAM_BENCH_WINDOWS = [DEFAULT_CRITIC_WINDOW, 4096] as const;

export interface ExamPromptRow {
  set: string;
  items: number;
  window: number;
  /** The whole prompt of each item (no budget), and as the budget fits it to `window`. */
  full: number[];
  budgeted: number[];
  /** Items the budget had to shorten. */
  shortened: number;
  /** Items that do not fit even shortened: `context-overflow` failures. */
  overflows: number;
  /** Of the overflows, the largest fixed part (system, policy, tools, proposal: what the budget cannot cut), in tokens. */
  overflowTokens: number[];
}

export function examPromptRows(sets: Readonly<Record<string, readonly ExamItem[]>>, windows: readonly number[] = EXAM_BENCH_WINDOWS): ExamPromptRow[] {
  const count = memoCounter(estimateTokens);
  const rows: ExamPromptRow[] = [];
  for (const [set, items] of Object.entries(sets)) {
    const full = items.map((i) => {
      const p = criticPrompt(i.input).prompt;
      return count(p.system) + count(p.user);
    });
    for (const window of windows) {
      const budget = budgetForWindow(window, count);
      const row: ExamPromptRow = { set, items: items.length, window, full, budgeted: [], shortened: 0, overflows: 0, overflowTokens: [] };
      for (const item of items) {
        const { fit } = criticPrompt(item.input, budget);
        if (!fit) continue;
        row.budgeted.push(fit.tokens);
        if (fit.omitted > 0 || fit.shortenedObservations > 0) row.shortened++;
        if (!fit.fits) {
          row.overflows++;
          row.overflowTokens.push(fit.tokens);
        }
      }
      rows.push(row);
    }
  }
  return rows;
}

const stats = (xs: readonly number[]): string => [50, 90, 100].map((p) => Math.round(percentile(xs, p) ?? NaN).toLocaleString('en-US')).join(' / ');

export function formatExamPromptRows(rows: readonly ExamPromptRow[]): string {
  const lines = [
    `Exam prompt tokens per item (estimated at 3 chars/token; default window ${DEFAULT_CRITIC_WINDOW.toLocaleString('en-US')})`,
    'set                           items  window  full prompt: median / p90 / max  budgeted: median / p90 / max  shortened  overflows',
  ];
  for (const r of rows) {
    const over = r.overflows > 0 ? `${r.overflows} (smallest ${Math.min(...r.overflowTokens).toLocaleString('en-US')} tokens${r.window === DEFAULT_CRITIC_WINDOW ? ', AT THE DEFAULT WINDOW' : ''})` : '0';
    lines.push(
      `${r.set.padEnd(28)}  ${String(r.items).padStart(5)}  ${String(r.window).padStart(6)}  ${stats(r.full).padStart(32)}  ${stats(r.budgeted).padStart(28)}  ${String(r.shortened).padStart(9)}  ${over.padStart(9)}`,
    );
  }
  return lines.join('\n');
}

/** What bench/pages/exam.html measures: the tiny critic grading items in its worker. */
export interface ExamThroughput {
  device: string;
  items?: number;
  ms?: number;
  itemsPerSecond?: number;
  latencyMedianMs?: number | null;
  promptTokensMedian?: number | null;
  decisions?: Record<string, number>;
  error?: string;
}
