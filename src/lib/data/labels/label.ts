import type { VerdictOutput } from '../../critic/verdict.ts';

export const LABEL_SOURCES = ['outcome', 'interventions', 'teacher'] as const;
export type LabelSource = (typeof LABEL_SOURCES)[number];

/** The verdict a proposal should have received, and which source said so. */
export type Label = VerdictOutput & { source: LabelSource };

/** Labels by decision point key (pointKey). */
export type LabelSet = Map<string, Label>;

/**
 * Merges label sets; where several label the same proposal, the earlier set
 * wins. The pipeline passes them most-trusted first: outcome (ground truth),
 * interventions (critic feedback confirmed by a passing episode), teacher.
 */
export function combineLabels(sets: readonly LabelSet[]): LabelSet {
  const out: LabelSet = new Map();
  for (const set of sets) for (const [k, v] of set) if (!out.has(k)) out.set(k, v);
  return out;
}
