/**
 * Merging the shards of a sweep: their state files (run records, each with
 * the shard it ran) and the finished traces beside them, into one run record
 * and one list of episodes. Pure: the CLI reads and writes the files.
 *
 * - Lossless: every result and its trace comes through unchanged.
 * - Idempotent: a result found twice (the same file given twice, a merged
 *   file merged again with its shards) counts once; the output depends only
 *   on the set of inputs, not their order.
 * - Refuses, naming them: files of another sweep (any spec field but the run
 *   id and the concurrency differs), a unit with two different results, a
 *   result outside its file's shard, and a corrupt file (rejected whole).
 * - Reports the units no file holds, and which shards they belong to.
 */
import { z } from 'zod';
import { SpotterError, ValidationError, errorMessage } from '../errors.ts';
import { parseTraceRecord } from '../traces/migrations.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import { planSlots } from './plan.ts';
import { RunRecordSchema, type RunRecord, type SlotResult } from './record.ts';
import { pendingSlots } from './runner.ts';
import { assignShards, formatShard, ShardSchema, type Shard } from './shard.ts';
import { compareText, planUnits, specDifferences, type WorkUnit } from './units.ts';

/** A headless state file: the run record, and the shard of the sweep it holds (absent: all of it). */
const ShardStateSchema = RunRecordSchema.extend({ shard: ShardSchema.optional() });
export type ShardState = z.infer<typeof ShardStateSchema>;

class MergeError extends SpotterError {
  override name = 'MergeError';
  constructor(message: string) {
    super('sweep-merge', message);
  }
}

/** A state file's text, validated whole: any fault rejects the file, named with the field. */
export function parseShardState(text: string, file: string): ShardState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(file, `not valid JSON (${errorMessage(err)})`);
  }
  const r = ShardStateSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ValidationError(file, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const state = r.data;
  const planned = new Set(planSlots(state.spec).map((s) => s.key));
  for (const [key, result] of Object.entries(state.results)) {
    if (!planned.has(key) || result.key !== key) throw new ValidationError(file, `results.${key}: not a unit of its run spec`);
  }
  return state;
}

/**
 * The traces file beside a state file: one trace per line, appended as
 * episodes finish, so a retried episode's later line replaces its earlier
 * one. One bad line rejects the whole file, named with the line.
 */
export function parseTraceLines(text: string, file: string): Map<string, EpisodeTrace> {
  const out = new Map<string, EpisodeTrace>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const where = `${file} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new ValidationError(where, `not valid JSON (${errorMessage(err)})`);
    }
    const trace = parseTraceRecord(value, where);
    out.set(trace.id, trace);
  });
  return out;
}

export interface MergeInput {
  file: string;
  state: ShardState;
  /** Its finished traces by episode id; undefined when no traces file was found beside it. */
  traces: Map<string, EpisodeTrace> | undefined;
}

export interface MergeReport {
  record: RunRecord;
  /** The trace of every merged result that has one, in plan order. */
  traces: EpisodeTrace[];
  planned: number;
  /** Results found in more than one input, identical (counted once). */
  duplicates: number;
  /** Unit ids with no result in any input, in canonical order. */
  missing: string[];
  /** Per shard that lacks units: e.g. "shard 2/3: no file (4 units)", "shard 3/3 (c.json): 1 of 4 units missing". */
  missingShards: string[];
  /** Unit ids whose result came without its trace. */
  missingTraces: string[];
}

/** The first field that tells two results of a unit apart, for the refusal. */
function difference(a: SlotResult, b: SlotResult): string {
  const x = new Map(Object.entries(a));
  const y = new Map(Object.entries(b));
  const field = [...new Set([...x.keys(), ...y.keys()])].find((k) => JSON.stringify(x.get(k)) !== JSON.stringify(y.get(k)));
  const show = (v: unknown): string => (JSON.stringify(v) ?? 'none').slice(0, 80);
  return field ? `${field} ${show(x.get(field))} vs ${show(y.get(field))}` : 'details differ';
}

export function mergeShards(inputs: readonly MergeInput[]): MergeReport {
  if (inputs.length === 0) throw new MergeError('no files to merge');
  // The output must not depend on the order of the files: the spec of the smallest run id leads.
  const sorted = [...inputs].sort((a, b) => compareText(a.state.spec.id, b.state.spec.id));
  const lead = sorted[0] ?? inputs[0];
  if (!lead) throw new MergeError('no files to merge');
  // Concurrency never changes an episode; the largest keeps the output independent of the order of the files.
  const spec = { ...lead.state.spec, concurrency: Math.max(...inputs.map((i) => i.state.spec.concurrency)) };

  const others = inputs
    .map((i) => ({ file: i.file, fields: specDifferences(spec, i.state.spec) }))
    .filter((d) => d.fields.length > 0)
    .map((d) => `${d.file}: a different sweep from ${lead.file} (differs in ${d.fields.join(', ')})`);
  if (others.length) throw new MergeError(`Refused, nothing written:\n${others.join('\n')}`);

  const units = planUnits(spec);
  const unitOf = new Map(units.map((u) => [u.slot.key, u.id]));
  const outside: string[] = [];
  for (const input of inputs) {
    const shard = input.state.shard;
    if (!shard) continue;
    const of = assignShards(units, shard.count);
    for (const key of Object.keys(input.state.results)) {
      const id = unitOf.get(key) ?? key;
      const belongs = of.get(id);
      if (belongs !== shard.index) outside.push(`${input.file}: unit ${id} belongs to shard ${belongs ?? '?'}/${shard.count}, not ${formatShard(shard)}`);
    }
  }
  if (outside.length) throw new MergeError(`Refused, nothing written:\n${outside.join('\n')}`);

  const taken = new Map<string, { result: SlotResult; from: MergeInput }>();
  const conflicts: string[] = [];
  let duplicates = 0;
  for (const input of sorted) {
    for (const [key, result] of Object.entries(input.state.results)) {
      const seen = taken.get(key);
      if (!seen) {
        taken.set(key, { result, from: input });
      } else if (JSON.stringify(seen.result) === JSON.stringify(result)) {
        duplicates++;
      } else {
        conflicts.push(`unit ${unitOf.get(key) ?? key}: ${seen.from.file} and ${input.file} hold different results (${difference(seen.result, result)})`);
      }
    }
  }
  if (conflicts.length) throw new MergeError(`Refused, nothing written: conflicting results\n${conflicts.join('\n')}`);

  const results: Record<string, SlotResult> = {};
  const traces: EpisodeTrace[] = [];
  const missingTraces: string[] = [];
  for (const slot of planSlots(spec)) {
    const t = taken.get(slot.key);
    if (!t) continue;
    results[slot.key] = t.result;
    const trace = t.from.traces?.get(t.result.episodeId);
    if (trace) traces.push(trace);
    else missingTraces.push(unitOf.get(slot.key) ?? slot.key);
  }
  const record: RunRecord = {
    schemaVersion: lead.state.schemaVersion,
    spec,
    createdAt: Math.min(...inputs.map((i) => i.state.createdAt)),
    updatedAt: Math.max(...inputs.map((i) => i.state.updatedAt)),
    status: 'done',
    results,
  };
  record.status = pendingSlots(record).length === 0 ? 'done' : 'cancelled';

  const missing = units.filter((u) => !taken.has(u.slot.key)).map((u) => u.id);
  return { record, traces, planned: units.length, duplicates, missing, missingShards: missingShards(inputs, missing, units), missingTraces };
}

/** The shards the missing units belong to, when the inputs agree on a shard count. */
function missingShards(inputs: readonly MergeInput[], missing: readonly string[], units: readonly WorkUnit[]): string[] {
  if (missing.length === 0) return [];
  const shards = inputs.map((i) => i.state.shard).filter((s): s is Shard => s !== undefined);
  const count = shards[0]?.count;
  if (count === undefined || shards.some((s) => s.count !== count)) return [];
  const of = assignShards(units, count);
  const out: string[] = [];
  for (let index = 1; index <= count; index++) {
    const size = units.filter((u) => of.get(u.id) === index).length;
    const lacking = missing.filter((id) => of.get(id) === index).length;
    if (lacking === 0) continue;
    const files = inputs.filter((i) => i.state.shard?.index === index).map((i) => i.file);
    out.push(files.length ? `shard ${index}/${count} (${files.join(', ')}): ${lacking} of ${size} units missing` : `shard ${index}/${count}: no file (${size} units)`);
  }
  return out;
}
