/**
 * The per-configuration summary a headless run or a sweep merge prints: one
 * row per configuration (episodes, pass^k, average reward, UserBench's
 * metrics, tokens, cost, critic errors), as a console table or as Markdown
 * (a GitHub job summary).
 */
import { formatUsd, type PriceTable } from '../pricing.ts';
import type { RunRecord } from './record.ts';
import { configurationResults } from './results.ts';

type SummaryRow = Record<string, string | number | null>;

const round = (v: number): number => Number(v.toFixed(4));

export function summaryRows(record: RunRecord, prices: PriceTable): SummaryRow[] {
  return configurationResults(record, prices).map((c) => ({
    configuration: c.label,
    episodes: `${c.finished}/${c.planned}`,
    ...Object.fromEntries((c.passK?.passK ?? []).map((p) => [`pass^${p.k}`, round(p.value)])),
    avg_reward: c.passK ? round(c.passK.averageReward) : null,
    // τ³ without an NL judge: episodes whose reward could not be given (counted as failures in pass^k above).
    ...(c.notJudged > 0 ? { not_judged: c.notJudged } : {}),
    ...(c.userBench
      ? {
          micro_max: round(c.userBench.microMax),
          micro_avg: round(c.userBench.microAvg),
          'avg_#1.0': round(c.userBench.avgNumberOf1),
          'avg_#0.8': round(c.userBench.avgNumberOf08),
        }
      : {}),
    tokens: c.promptTokens + c.completionTokens,
    cost: formatUsd(c.cost),
    critic_errors: c.criticErrors,
    context_overflows: c.contextOverflows,
  }));
}

/** A Markdown cell: text only, pipes and line breaks escaped (labels are user text). */
function cell(v: string | number | null): string {
  return v === null ? '' : String(v).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** The rows as a GitHub-flavoured Markdown table (columns: every key of any row, in first-seen order). */
export function summaryMarkdown(rows: readonly SummaryRow[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(columns.map(cell)), line(columns.map(() => '---')), ...rows.map((r) => line(columns.map((c) => cell(r[c] ?? null))))].join('\n') + '\n';
}
