/**
 * A run spec as work units: one unit per (environment, task, trial,
 * configuration), each with an id that depends only on those four facts, so
 * it is the same on every machine, in every shard and whatever the order of
 * the command line's flags. Shards, merges and state files speak unit ids.
 */
import { ValidationError } from '../errors.ts';
import { planSlots, runEnvironmentName, type RunSpec, type Slot } from './plan.ts';

export interface WorkUnit {
  /** e.g. `tau-bench/retail/test/task7/trial2/critic-intervene`. */
  id: string;
  /** Its configuration's label as in the id: shards deal each configuration's units evenly. */
  config: string;
  /** The slot of the spec this unit is (its key indexes the run record's results). */
  slot: Slot;
}

/** A configuration label as it appears in unit ids: lower case, runs of other characters as one `-`. */
export function labelSlug(label: string): string {
  return (
    label
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'config'
  );
}

/**
 * The spec's units in canonical order: by task, trial, then configuration
 * label (not the order the configurations were given in). Refuses a spec
 * whose labels would give two configurations the same id.
 */
export function planUnits(spec: RunSpec): WorkUnit[] {
  // The one place a unit learns its environment's name.
  const prefix = `${runEnvironmentName(spec)}/${spec.split}`;
  const slugs = spec.configurations.map((c) => labelSlug(c.label));
  slugs.forEach((s, i) => {
    const j = slugs.indexOf(s);
    if (j !== i) {
      throw new ValidationError(`run spec configurations.${i}.label`, `"${spec.configurations[i]?.label}" and "${spec.configurations[j]?.label}" give the same unit id (${s})`);
    }
  });
  return planSlots(spec)
    .map((slot) => {
      const config = slugs[slot.configIndex] ?? '';
      return { id: `${prefix}/task${slot.taskIndex}/trial${slot.trial}/${config}`, config, slot };
    })
    .sort((a, b) => a.slot.taskIndex - b.slot.taskIndex || a.slot.trial - b.slot.trial || compareText(slugs[a.slot.configIndex], slugs[b.slot.configIndex]));
}

/** Orders text by code unit, the same on every machine (localeCompare is not). */
export function compareText(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The fields on which two specs differ, ignoring the run id and the
 * concurrency (neither changes an episode): empty when a state file may be
 * resumed, or shard files merged, under the other spec.
 */
export function specDifferences(a: RunSpec, b: RunSpec): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== 'id' && k !== 'concurrency').sort();
  const field = (s: RunSpec, k: string): string => JSON.stringify(Object.entries(s).find(([key]) => key === k)?.[1] ?? null);
  return keys.filter((k) => field(a, k) !== field(b, k));
}
