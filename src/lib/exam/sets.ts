/**
 * The exam sets by name, built by code from the packs (never by hand):
 * `tau-airline-gpt4o`, `tau-airline-gpt4o-mutations` and `quick`. Building
 * is deterministic; the airline sets are built once per sources object and
 * shared by the names that need them.
 */
import { z } from 'zod';
import type { ExamItem } from './schema.ts';
import { QUICK_SET, quickSample } from './quick.ts';
import { buildAirlineSets, MUTATION_SET, REAL_SET, type AirlineSets, type AirlineSources } from './tauAirline.ts';

export const EXAM_SET_NAMES = [REAL_SET, MUTATION_SET, QUICK_SET] as const;
export const ExamSetNameSchema = z.enum(EXAM_SET_NAMES);
export type ExamSetName = z.infer<typeof ExamSetNameSchema>;

/** What the sets are built from: the tau-bench pack (airline, test tasks) and the historical GPT-4o results. */
export type ExamSources = AirlineSources;

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
