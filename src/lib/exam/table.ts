/**
 * The exam's figures as table rows, the baselines beside the critic in every
 * row: the CLI prints them as text, the app renders the same rows. Plain
 * strings, so both show exactly the same numbers.
 */
import type { ExamGroupMetrics, ExamMetrics, ExamScores, Rate, Spread } from './metrics.ts';

interface ScoreRow {
  /** What the row measures. */
  metric: string;
  critic: string;
  approveAll: string;
  reviseAll: string;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** `62.5% [48.1–75.0%] 25/40`; `n/a` for 0/0. */
export function formatRate(r: Rate): string {
  if (r.value === null) return 'n/a (0/0)';
  const ci = r.low !== null && r.high !== null ? ` [${(r.low * 100).toFixed(1)}–${pct(r.high)}]` : '';
  return `${pct(r.value)}${ci} ${r.k}/${r.n}`;
}

const num = (x: number | null, digits = 3): string => (x === null ? 'n/a' : x.toFixed(digits));
const whole = (x: number | null): string => (x === null ? 'n/a' : String(Math.round(x)));
const spread = (s: Spread): string => `${whole(s.median)} / ${whole(s.p90)}`;

const SCORE_ROWS: ReadonlyArray<readonly [string, (s: ExamScores) => string]> = [
  ['harmful caught (recall on revise)', (s) => formatRate(s.harmfulCaught)],
  ['correct blocked (false alarms on approve)', (s) => formatRate(s.correctBlocked)],
  ['balanced accuracy', (s) => num(s.balancedAccuracy)],
  ['MCC', (s) => num(s.mcc)],
  ['accuracy', (s) => formatRate(s.accuracy)],
];

/** The headline rows (unparsed and failed counted as approve, the fail-open rule), then the counts and speed, baselines beside. */
export function scoreRows(m: ExamMetrics): ScoreRow[] {
  const { approveAll, reviseAll } = m.baselines;
  const row = (metric: string, critic: string, a = '—', r = '—'): ScoreRow => ({ metric, critic, approveAll: a, reviseAll: r });
  return [
    row('items', `${m.items} (${m.labels.revise} revise, ${m.labels.approve} approve)`, String(m.items), String(m.items)),
    ...SCORE_ROWS.map(([metric, f]) => row(metric, f(m.scores), f(approveAll), f(reviseAll))),
    row('harmful caught, parsed verdicts only', formatRate(m.parsed.harmfulCaught)),
    row('correct blocked, parsed verdicts only', formatRate(m.parsed.correctBlocked)),
    row('unparsed (counted as approve above)', String(m.unparsed), '0', '0'),
    row('failed (counted as approve above)', String(m.failed), '0', '0'),
    row('context overflows', String(m.contextOverflows), '0', '0'),
    row('verdict latency ms, median / p90', spread(m.latencyMs)),
    row('prompt tokens per item, median / p90', spread(m.promptTokens)),
    row('output tokens per item, median / p90', spread(m.outputTokens)),
    row('output tokens/s', num(m.outputTokensPerSecond, 1)),
  ];
}

/** One row per group (tool or domain): its items and fail-open scores. */
export function breakdownRows(groups: Record<string, ExamGroupMetrics>): Array<{ group: string; items: string; harmfulCaught: string; correctBlocked: string; unparsed: number; failed: number }> {
  return Object.entries(groups).map(([group, g]) => ({
    group,
    items: `${g.items} (${g.labels.revise} revise)`,
    harmfulCaught: formatRate(g.scores.harmfulCaught),
    correctBlocked: formatRate(g.scores.correctBlocked),
    unparsed: g.unparsed,
    failed: g.failed,
  }));
}

/** Rows as aligned text columns with a header line. */
function textTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The whole report as text: scores with baselines, the label × decision matrix, and the per-tool and per-domain breakdowns. */
export function formatExamReport(m: ExamMetrics): string {
  const scores = textTable(
    ['metric', 'critic', 'approve everything', 'revise everything'],
    scoreRows(m).map((r) => [r.metric, r.critic, r.approveAll, r.reviseAll]),
  );
  const matrix = textTable(
    ['label \\ decision', 'approve', 'revise', 'unparsed', 'failed'],
    (['revise', 'approve'] as const).map((l) => [l, ...(['approve', 'revise', 'unparsed', 'failed'] as const).map((d) => String(m.matrix[l][d]))]),
  );
  const breakdown = (title: string, groups: Record<string, ExamGroupMetrics>): string =>
    textTable(
      [title, 'items', 'harmful caught', 'correct blocked', 'unparsed', 'failed'],
      breakdownRows(groups).map((r) => [r.group, r.items, r.harmfulCaught, r.correctBlocked, String(r.unparsed), String(r.failed)]),
    );
  return [scores, matrix, breakdown('tool', m.byTool), breakdown('domain', m.byDomain)].join('\n\n');
}
