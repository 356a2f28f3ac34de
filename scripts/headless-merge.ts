/**
 * `npm run headless -- merge A.json.state.json B.json.state.json … --out all.json`:
 * the shards of a sweep into the files one process would have written with
 * `--out all.json`: the results per configuration (τ³: tau2-bench's results JSON
 * and a submission.json, the tasks read from --data-dir) and the CSV, the run record
 * (`all.json.state.json`) and its episodes, one per line
 * (`all.json.state.json.traces.jsonl`, which History imports). Each state
 * file's traces are read from beside it. Anything refused (another sweep, a
 * conflicting result, a corrupt file) writes nothing and exits with 2; units
 * that no file holds are listed, the rest written, and the exit code is 3. A τ³
 * results file that cannot be made (its tasks not found, a conversation that no
 * longer grades as recorded) is reported after the rest is written: exit code 1.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { nodeTau2Packs } from '../src/lib/envs/tau2/pack-node.ts';
import { errorMessage, SpotterError } from '../src/lib/errors.ts';
import { MERGE_OPTIONS, parseMergeArgs, type MergeOptions } from './headless-cli.ts';
import { mergeShards, parseShardState, parseTraceLines, type MergeInput, type MergeReport, type ShardState } from '../src/lib/runs/merge.ts';
import { summaryMarkdown, summaryRows } from '../src/lib/runs/summary.ts';
import { toJsonl } from '../src/lib/traces/jsonl.ts';
import { loadPrices, printSummary, writeFileAtomic, writeResultFiles, writeTau2ResultFiles } from './headless-outputs.ts';

export const MERGE_USAGE = `Usage: npm run headless -- merge STATE.json [STATE.json ...] --out all.json [--prices prices.json] [--summary-md FILE] [--data-dir DIR]
  STATE.json: a run's or shard's state file (default <out>.state.json); its episodes are read from STATE.json.traces.jsonl.
  Writes what one run with --out all.json writes: all.json (or all.<config>.json), all.csv, all.json.state.json and
  all.json.state.json.traces.jsonl (every episode once: History imports it). τ³ sweeps: all.json is tau2-bench's results
  file (with all.submission.json), its tasks read from --data-dir (default ../shared/tau2-bench). Flags: ${Object.keys(MERGE_OPTIONS)
  .map((k) => `--${k}`)
  .join(', ')}.`;

/** Reads one input whole; any fault names the file and is thrown before anything is written. */
function readInput(file: string): MergeInput {
  if (!existsSync(file)) throw new SpotterError('sweep-merge', `${file}: no such file`);
  let state: ShardState;
  try {
    state = parseShardState(readFileSync(file, 'utf8'), file);
  } catch (err) {
    // A results file (r.json) given for its state file (r.json.state.json) is the likely slip.
    const hint = file.endsWith('.state.json') ? '' : ' (merge reads state files: <out>.state.json)';
    throw new SpotterError('sweep-merge', `${errorMessage(err)}${hint}`);
  }
  const tracesFile = `${file}.traces.jsonl`;
  const traces = existsSync(tracesFile) ? parseTraceLines(readFileSync(tracesFile, 'utf8'), tracesFile) : undefined;
  return { file, state, traces };
}

function reportLines(r: MergeReport): string[] {
  const lines = [`${Object.keys(r.record.results).length} of ${r.planned} units merged${r.duplicates ? ` (${r.duplicates} found twice, identical, counted once)` : ''}.`];
  if (r.missing.length) {
    lines.push(`Missing ${r.missing.length} units:`, ...r.missingShards.map((s) => `  ${s}`));
    lines.push(...r.missing.slice(0, 50).map((id) => `  ${id}`), ...(r.missing.length > 50 ? [`  … and ${r.missing.length - 50} more`] : []));
  }
  if (r.missingTraces.length) lines.push(`No trace for ${r.missingTraces.length} merged units (their traces file was not beside the state file): ${r.missingTraces.slice(0, 5).join(', ')}${r.missingTraces.length > 5 ? ', …' : ''}`);
  return lines;
}

export async function mergeMain(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  let opts: MergeOptions;
  try {
    opts = parseMergeArgs(argv);
  } catch (err) {
    process.stderr.write(`${errorMessage(err)}\n\n${MERGE_USAGE}\n`);
    return 2;
  }
  const say = (text: string): void => void process.stderr.write(text + '\n');
  let report: MergeReport;
  let episodes: string;
  try {
    report = mergeShards(opts.files.map(readInput));
    // The last defence of every export: no line may hold a configured key.
    episodes = toJsonl(report.traces, [env['SPOTTER_ACTOR_KEY'] ?? '', env['SPOTTER_USER_KEY'] ?? '', env['SPOTTER_CRITIC_KEY'] ?? '']);
  } catch (err) {
    say(`merge: ${errorMessage(err)}`);
    return 2;
  }
  const prices = loadPrices(opts.pricesPath);
  const statePath = `${opts.out}.state.json`;
  writeFileAtomic(statePath, JSON.stringify(report.record));
  writeFileAtomic(`${statePath}.traces.jsonl`, episodes);
  const traceOf = new Map(report.traces.map((t) => [t.id, t]));
  const written = writeResultFiles(report.record, (id) => traceOf.get(id), opts.out, prices);
  let tau2Problem: string | undefined;
  try {
    const tau2 = await writeTau2ResultFiles(report.record, (id) => traceOf.get(id), opts.out, prices, nodeTau2Packs(opts.tau2DataDir));
    written.unshift(...tau2.written);
    for (const note of tau2.notes) say(note);
  } catch (err) {
    tau2Problem = `merge: no tau2-bench results file: ${errorMessage(err)}`;
  }
  printSummary(report.record, prices);
  const lines = reportLines(report);
  for (const l of lines) say(l);
  say(`Wrote ${[...written, statePath, `${statePath}.traces.jsonl`].join(', ')}.`);
  if (opts.summaryMd) {
    const md = [`## Sweep ${report.record.spec.id}`, '', summaryMarkdown(summaryRows(report.record, prices)), ...lines.map((l) => (l.startsWith('  ') ? `- \`${l.trim()}\`` : l)), ''];
    appendFileSync(opts.summaryMd, md.join('\n') + '\n');
  }
  if (tau2Problem) {
    say(tau2Problem);
    return 1;
  }
  return report.missing.length ? 3 : 0;
}
