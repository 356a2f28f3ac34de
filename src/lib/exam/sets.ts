/**
 * The exam sets by name, built by code from the packs (never by hand):
 * `tau-airline-gpt4o`, `tau-airline-gpt4o-mutations` and `quick`. Building
 * is deterministic; the airline sets are built once per sources object and
 * shared by the names that need them.
 */
import { z } from 'zod';
import type { TauPack } from '../envs/tau-bench/pack.ts';
import { ValidationError, errorMessage } from '../errors.ts';
import { parseTauResultRecords } from '../traces/tau-results.ts';
import type { ExamItem, ExamLabel } from './schema.ts';
import { QUICK_SET, quickSample } from './quick.ts';
import { buildAirlineSets, MUTATION_SET, REAL_SET, type AirlineSets, type AirlineSources } from './tau-airline.ts';

export const EXAM_SET_NAMES = [REAL_SET, MUTATION_SET, QUICK_SET] as const;
export const ExamSetNameSchema = z.enum(EXAM_SET_NAMES);
export type ExamSetName = z.infer<typeof ExamSetNameSchema>;

/** What the sets are built from: the tau-bench pack (airline, test tasks) and the historical GPT-4o results. */
export type ExamSources = AirlineSources;

/**
 * The sources from what a browser has at hand: the pack (loaded with the airline
 * domain) and the historical results file's text. The file is validated whole.
 */
export function examSourcesOf(pack: TauPack, historicalText: string, file = 'gpt-4o-airline.json'): ExamSources {
  let value: unknown;
  try {
    value = JSON.parse(historicalText);
  } catch (err) {
    throw new ValidationError(file, `not valid JSON (${errorMessage(err)})`);
  }
  try {
    return { pack, historical: parseTauResultRecords(value) };
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(file, err.message);
    throw err;
  }
}

interface ExamSetSummary {
  items: number;
  byLabel: Record<ExamLabel, number>;
  /** Per tool, per label. */
  byTool: Record<string, Record<ExamLabel, number>>;
}

/** Counts of a set by label and by tool (what the docs list and the CLI prints). */
export function examSetSummary(items: readonly ExamItem[]): ExamSetSummary {
  const byLabel: Record<ExamLabel, number> = { approve: 0, revise: 0 };
  const byTool: Record<string, Record<ExamLabel, number>> = {};
  for (const it of items) {
    byLabel[it.label]++;
    const t = (byTool[it.tool] ??= { approve: 0, revise: 0 });
    t[it.label]++;
  }
  return { items: items.length, byLabel, byTool };
}

const built = new WeakMap<ExamSources, AirlineSets>();

/** Both airline sets with their mutation statistics (built once per sources object). */
export function airlineSets(sources: ExamSources): AirlineSets {
  let s = built.get(sources);
  if (!s) {
    s = buildAirlineSets(sources);
    built.set(sources, s);
  }
  return s;
}

export function buildExamSet(name: ExamSetName, sources: ExamSources): ExamItem[] {
  const s = airlineSets(sources);
  switch (name) {
    case REAL_SET:
      return s.real;
    case MUTATION_SET:
      return s.mutations;
    case QUICK_SET:
      return quickSample([...s.real, ...s.mutations]);
  }
}
