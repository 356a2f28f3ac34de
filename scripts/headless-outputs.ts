/** What a headless run and a sweep merge both write: tau-bench (or UserBench) results per configuration, the CSV, the summary. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { DEFAULT_PRICES, PriceTableSchema, type PriceTable } from '../src/lib/pricing.ts';
import { outputPaths } from './headless-cli.ts';
import { runEnvironment } from '../src/lib/runs/plan.ts';
import type { RunRecord } from '../src/lib/runs/record.ts';
import { resultsCsv, tauResults } from '../src/lib/runs/results-export.ts';
import { summaryRows } from '../src/lib/runs/summary.ts';
import { userBenchExport } from '../src/lib/runs/userbench-export.ts';
import { tau2RunFiles } from '../src/lib/runs/tau2-run-export.ts';
import type { Tau2PackLoader } from '../src/lib/runs/tau2-factories.ts';
import type { EpisodeTrace } from '../src/lib/traces/schema.ts';

/** Writes one results JSON per configuration and the CSV beside `out`; returns their paths. */
export function writeResultFiles(record: RunRecord, traceOf: (episodeId: string) => EpisodeTrace | undefined, out: string, prices: PriceTable): string[] {
  const labels = record.spec.configurations.map((c) => c.label);
  const paths = outputPaths(out, labels);
  const family = runEnvironment(record.spec).family;
  const userBench = family === 'userbench';
  labels.forEach((_, i) => {
    const path = paths.json[i];
    // τ³ runs write tau2-bench's own results file instead (writeTau2ResultFiles).
    if (!path || family === 'tau2') return;
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(path, JSON.stringify(userBench ? userBenchExport(record, i, traceOf) : tauResults(record, i, traceOf), null, 2));
  });
  mkdirSync(dirname(resolve(paths.csv)), { recursive: true });
  writeFileSync(paths.csv, resultsCsv(record, prices));
  return [...(family === 'tau2' ? [] : paths.json), paths.csv];
}

/**
 * τ³ runs: per configuration, tau2-bench's results JSON (its tools read it) and a leaderboard
 * submission.json for this domain, `<results>.submission.json`; a configuration with episodes
 * nobody judged gets no submission (the reason is returned in `notes`). `loadPack`: the run's own (loaded once).
 */
export async function writeTau2ResultFiles(
  record: RunRecord,
  traceOf: (episodeId: string) => EpisodeTrace | undefined,
  out: string,
  prices: PriceTable,
  loadPack: Tau2PackLoader,
): Promise<{ written: string[]; notes: string[] }> {
  if (record.spec.environment.family !== 'tau2') return { written: [], notes: [] };
  const paths = outputPaths(out, record.spec.configurations.map((c) => c.label));
  const written: string[] = [];
  const notes: string[] = [];
  for (const [i, config] of record.spec.configurations.entries()) {
    const path = paths.json[i];
    if (!path) continue;
    // Node has no page to keep responsive: grade every episode again and insist on the recorded rewards.
    const files = await tau2RunFiles(record, i, traceOf, loadPack, prices, basename(path), { regrade: true });
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(path, files.results);
    written.push(path);
    if (files.submission === undefined) {
      notes.push(`${config.label}: no submission.json (${files.submissionProblem ?? 'unknown'})`);
      continue;
    }
    const subPath = `${path.replace(/\.json$/i, '')}.submission.json`;
    writeFileSync(subPath, files.submission);
    written.push(subPath);
  }
  return { written, notes };
}

/** The per-configuration table (pass^k, rewards, tokens, cost) on standard output. */
export function printSummary(record: RunRecord, prices: PriceTable): void {
  console.table(summaryRows(record, prices));
}

/** The price table: the defaults, with a JSON file's entries over them. */
export function loadPrices(path: string | undefined): PriceTable {
  if (!path) return DEFAULT_PRICES;
  const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const r = PriceTableSchema.safeParse(value);
  if (!r.success) throw new Error(`${path}: not a price table {"model": {"inputPerM": n, "outputPerM": n}}`);
  return { ...DEFAULT_PRICES, ...r.data };
}

/** Replaces `path` whole or not at all (a kill mid-write leaves the old file): written beside it, then renamed. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}
