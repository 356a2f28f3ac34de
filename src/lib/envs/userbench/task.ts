/**
 * A TravelGym task as `task_data.load_tasks` builds it, from either source:
 * the upstream data files (objects keyed by scenario id, options shuffled at
 * load with numpy's legacy generator) or a processed single-scenario file (the
 * load_tasks output written with json.dump, options kept in their written order).
 * Option objects stay `PyDict`s so observations print them as Python's json.dumps.
 */
import { z } from 'zod';
import { ValidationError } from '../../errors.ts';
import { formatPath } from '../tau-bench/pack.ts';
import { isDict, toJs, type PyDict, type PyValue } from '../tau-bench/py.ts';
import { NumpyLegacyRandom } from './rng.ts';

/** A preference as `TravelEnv._initialize_preferences` numbers it (P1… across dimensions). */
export interface TravelPreference {
  id: string;
  aspect: string;
  subcategory: string;
  preference: string;
  implicitElicitation: string;
  dimension: string;
}

export interface TravelTask {
  id: string;
  /** The whole story with every preference (shown to the judge, never to the agent). */
  scenario: string;
  dimensions: string[];
  wantedNum: number[];
  /** The vague opening request: the reset feedback. */
  initialDesc: string;
  /** Preferences in the original's numbering. */
  preferences: TravelPreference[];
  /** Every correct id, in dimension order (`state_list["remaining_correct_options"]`). */
  correctIds: string[];
  /** One best id per dimension that has one (`state_list["remaining_best_options"]`). */
  bestIds: string[];
  /** Options shown after a correct search, per dimension, in their order. */
  allOptions: ReadonlyMap<string, readonly PyValue[]>;
  /** Ground-truth search arguments per dimension, in the task dict's key order. */
  arguments: PyDict;
}

const OptionListSchema = z.array(z.looseObject({ id: z.string() }));

/** The raw scenario entry: only the fields the env reads are checked; others pass through. */
const DimensionSchema = z.looseObject({
  preferences: z.array(z.unknown()).optional(),
  arguments: z.unknown().optional(),
  correct_ids: z.array(z.string()).optional(),
  best_id: z.string().optional(),
  options: z
    .looseObject({ correct: OptionListSchema.optional(), wrong: OptionListSchema.optional(), noise: OptionListSchema.optional() })
    .optional(),
});

const EntrySchema = z.looseObject({
  scenario: z.string(),
  dimensions: z.array(z.string()),
  wanted_num: z.array(z.number()),
  initial_description: z.string(),
});

const ProcessedSchema = z.looseObject({
  id: z.string(),
  scenario: z.string(),
  dimensions: z.array(z.string()),
  wanted_num: z.array(z.number()),
  initial_desc: z.string(),
  preferences: z.looseObject({}),
  all_options: z.record(z.string(), z.array(z.unknown())),
  arguments: z.looseObject({}),
});

/**
 * The parts of a raw entry the env reads, as plain JS for zod: option lists
 * become their ids only, so the big option objects are never copied.
 */
function entryView(entry: PyDict): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [key, value] of entry) {
    if (!isDict(value)) {
      view[key] = toJs(value);
      continue;
    }
    const dim: Record<string, unknown> = {};
    for (const [field, v] of value) {
      if (field === 'options' && isDict(v)) {
        const options: Record<string, unknown> = {};
        for (const [kind, list] of v) {
          options[kind] = Array.isArray(list) ? list.map((o) => (isDict(o) ? { id: toJs(o.get('id') ?? null) } : toJs(o))) : toJs(list);
        }
        dim[field] = options;
      } else if (field === 'preferences' || field === 'correct_ids' || field === 'best_id') dim[field] = toJs(v);
    }
    view[key] = dim;
  }
  return view;
}

function check<T>(file: string, prefix: PropertyKey[], schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ValidationError(file, issue ? `${formatPath([...prefix, ...issue.path])}: ${issue.message}` : 'invalid');
}

function dictAt(v: PyValue | undefined, file: string, path: PropertyKey[]): PyDict {
  if (v === undefined || !isDict(v)) throw new ValidationError(file, `${formatPath(path)}: expected an object`);
  return v;
}

/** Preferences, correct ids and best ids from a raw entry (as plain JS), as TravelEnv reads them. */
function readPreferences(entry: Record<string, unknown>, dimensions: readonly string[], file: string, path: PropertyKey[]) {
  const preferences: TravelPreference[] = [];
  const correctIds: string[] = [];
  const bestIds: string[] = [];
  for (const dimension of dimensions) {
    if (!Object.hasOwn(entry, dimension)) continue;
    const dimPath = [...path, dimension];
    const dim = check(file, dimPath, DimensionSchema, entry[dimension]);
    (dim.preferences ?? []).forEach((p, j) => {
      // _initialize_preferences skips anything that is not a list of at least 4 items.
      if (!Array.isArray(p) || p.length < 4) return;
      const [aspect, subcategory, preference, implicit] = check(file, [...dimPath, 'preferences', j], z.array(z.string()), p.slice(0, 4));
      preferences.push({
        id: `P${preferences.length + 1}`,
        aspect: aspect ?? '',
        subcategory: subcategory ?? '',
        preference: preference ?? '',
        implicitElicitation: implicit ?? '',
        dimension,
      });
    });
    correctIds.push(...(dim.correct_ids ?? []));
    if (dim.best_id !== undefined) bestIds.push(dim.best_id);
  }
  return { preferences, correctIds, bestIds };
}

/** A processed single-scenario file (like ../shared/userbench/scenarios/*.json). */
export function taskFromProcessed(file: string, raw: PyValue): TravelTask {
  const t = check(file, [], ProcessedSchema, toJs(raw));
  const root = dictAt(raw, file, []);
  dictAt(root.get('preferences'), file, ['preferences']);
  const allOptionsRaw = dictAt(root.get('all_options'), file, ['all_options']);
  const allOptions = new Map<string, PyValue[]>();
  for (const [dim, list] of allOptionsRaw) allOptions.set(dim, Array.isArray(list) ? list : []);
  return {
    id: t.id,
    scenario: t.scenario,
    dimensions: t.dimensions,
    wantedNum: t.wanted_num,
    initialDesc: t.initial_desc,
    ...readPreferences(t.preferences, t.dimensions, file, ['preferences']),
    allOptions,
    arguments: dictAt(root.get('arguments'), file, ['arguments']),
  };
}

/** True for a processed single-scenario file, false for an upstream file keyed by scenario id. */
export function isProcessedFile(raw: PyValue): boolean {
  return isDict(raw) && raw.has('all_options') && raw.has('initial_desc') && typeof raw.get('id') === 'string';
}

export interface LoadTasksOptions {
  /** `np.random.seed` before loading: 42 at import, or TravelGymConfig.seed when the env sets one. */
  numpySeed?: number;
  /**
   * How many full loads ran before this one in the same process. eval.py
   * builds one env per task and each calls load_tasks again, continuing the
   * numpy stream; 0 is a fresh process.
   */
  priorLoads?: number;
}

interface NamedFile {
  file: string;
  raw: PyValue;
}

/** The lengths of the correct, wrong and noise lists of each dimension load_tasks shuffles. */
function shuffledLengths(entry: PyDict, dimensions: readonly string[]): number[][] {
  const out: number[][] = [];
  for (const dimension of dimensions) {
    const dim = entry.get(dimension);
    const options = dim !== undefined && isDict(dim) ? dim.get('options') : undefined;
    if (options === undefined || !isDict(options)) continue;
    out.push(['correct', 'wrong', 'noise'].map((kind) => {
      const list = options.get(kind);
      return Array.isArray(list) ? list.length : 0;
    }));
  }
  return out;
}

/**
 * `load_tasks()` over upstream data files given in the original's order
 * (22, 33, 44, 2222, 233, 334, 444, 333): `dict.update` merge, then per
 * dimension shuffle correct, wrong and noise, concatenate, drop `type` and
 * `reason`, shuffle again. Without a config, nothing is cut (eval.py's case).
 * The files' option lists are shuffled in place, as the original does.
 */
export function loadTasks(files: readonly NamedFile[], opts: LoadTasksOptions = {}): TravelTask[] {
  const merged = new Map<string, { file: string; entry: PyValue }>();
  for (const { file, raw } of files) {
    const obj = dictAt(raw, file, []);
    for (const [key, entry] of obj) merged.set(key, { file, entry });
  }
  const rng = new NumpyLegacyRandom(opts.numpySeed ?? 42);
  for (let load = 0; load < (opts.priorLoads ?? 0); load++) {
    // An earlier load drew the same numbers: the draws depend only on list lengths.
    for (const [key, { file, entry }] of merged) {
      const raw = dictAt(entry, file, [key]);
      const dims = check(file, [key, 'dimensions'], z.array(z.string()), toJs(raw.get('dimensions') ?? null));
      for (const lengths of shuffledLengths(raw, dims)) {
        for (const n of lengths) rng.skipShuffle(n);
        rng.skipShuffle(lengths.reduce((a, b) => a + b, 0));
      }
    }
  }
  const tasks: TravelTask[] = [];
  for (const [key, { file, entry: rawEntry }] of merged) {
    const path = [key];
    const entry = dictAt(rawEntry, file, path);
    const plain = check(file, path, EntrySchema, entryView(entry));
    const e = plain;
    const allOptions = new Map<string, PyValue[]>();
    const args: PyDict = new Map();
    for (const dimension of e.dimensions) {
      const dimRaw = entry.get(dimension);
      if (dimRaw === undefined) continue;
      const dim = dictAt(dimRaw, file, [...path, dimension]);
      check(file, [...path, dimension], DimensionSchema, plain[dimension]);
      const options = dim.get('options');
      if (options !== undefined && isDict(options)) {
        const pick = (kind: string): PyValue[] => {
          const list = options.get(kind);
          return Array.isArray(list) ? list : [];
        };
        const correct = pick('correct');
        const wrong = pick('wrong');
        const noise = pick('noise');
        rng.shuffle(correct);
        rng.shuffle(wrong);
        rng.shuffle(noise);
        const all = [...correct, ...wrong, ...noise];
        for (const option of all) {
          if (isDict(option)) {
            option.delete('type');
            option.delete('reason');
          }
        }
        rng.shuffle(all);
        allOptions.set(dimension, all);
      } else {
        allOptions.set(dimension, []);
      }
      const argument = dim.get('arguments');
      if (argument !== undefined) args.set(dimension, argument);
    }
    tasks.push({
      id: key,
      scenario: e.scenario,
      dimensions: e.dimensions,
      wantedNum: e.wanted_num,
      initialDesc: e.initial_description,
      ...readPreferences(plain, e.dimensions, file, path),
      allOptions,
      arguments: args,
    });
  }
  return tasks;
}
