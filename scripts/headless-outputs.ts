/** What a headless run and a sweep merge both write: tau-bench (or UserBench) results per configuration, the CSV, the summary. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_PRICES, PriceTableSchema, type PriceTable } from '../src/lib/pricing.ts';
import { outputPaths } from './headless-cli.ts';
import { runEnvironment } from '../src/lib/runs/plan.ts';
import type { RunRecord } from '../src/lib/runs/record.ts';
import { resultsCsv, tauResults } from '../src/lib/runs/results-export.ts';
import { summaryRows } from '../src/lib/runs/summary.ts';
import { userBenchExport } from '../src/lib/runs/userbench-export.ts';
import type { EpisodeTrace } from '../src/lib/traces/schema.ts';

/** Writes one results JSON per configuration and the CSV beside `out`; returns their paths. */
export function writeResultFiles(record: RunRecord, traceOf: (episodeId: string) => EpisodeTrace | undefined, out: string, prices: PriceTable): string[] {
  const labels = record.spec.configurations.map((c) => c.label);
  const paths = outputPaths(out, labels);
  const userBench = runEnvironment(record.spec).family === 'userbench';
  labels.forEach((_, i) => {
    const path = paths.json[i];
    if (!path) return;
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(path, JSON.stringify(userBench ? userBenchExport(record, i, traceOf) : tauResults(record, i, traceOf), null, 2));
  });
  mkdirSync(dirname(resolve(paths.csv)), { recursive: true });
  writeFileSync(paths.csv, resultsCsv(record, prices));
  return [...paths.json, paths.csv];
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
