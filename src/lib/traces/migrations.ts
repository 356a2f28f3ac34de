import { ValidationError } from '../errors.ts';
import { TRACE_SCHEMA_VERSION, EpisodeTraceSchema, type EpisodeTrace } from './schema.ts';

type RawRecord = Record<string, unknown>;

function isRecord(v: unknown): v is RawRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Version 0: the prototype's records, before `schemaVersion` existed. They had
 * `finishedAt` where v1 has `endedAt`, no `updatedAt`, and meta without
 * `failureRule` (fail-open was the only rule then).
 */
function v0ToV1(r: RawRecord): RawRecord {
  const { finishedAt, ...rest } = r;
  const out: RawRecord = { ...rest, schemaVersion: 1 };
  if (out.endedAt === undefined && typeof finishedAt === 'number') out.endedAt = finishedAt;
  if (out.updatedAt === undefined) out.updatedAt = out.endedAt ?? out.createdAt;
  if (isRecord(out.meta) && out.meta.failureRule === undefined) out.meta = { ...out.meta, failureRule: 'fail-open' };
  return out;
}

/** The label every critic gave its verdicts up to version 1: `<engine>:<model>`. */
const CRITIC_LABEL = /^(remote|webllm|transformers):(.+)$/;

/** A v1 verdict with `engine` and `model` taken from its label, where the label names them; others stay as they are (unknown). */
function verdictWithSource(v: unknown): unknown {
  if (!isRecord(v) || v.engine !== undefined || typeof v.critic !== 'string') return v;
  const m = CRITIC_LABEL.exec(v.critic);
  return m ? { ...v, engine: m[1], model: m[2] } : v;
}

/**
 * Version 1 → 2: verdicts record which engine and model judged as fields
 * (`engine`, `model`); before, only the display label (`remote:gpt-4o-mini`)
 * said it, and cost accounting parsed it.
 */
function v1ToV2(r: RawRecord): RawRecord {
  const timeline = Array.isArray(r.timeline)
    ? r.timeline.map((e: unknown) => {
        if (!isRecord(e) || e.type !== 'step' || !isRecord(e.step) || !Array.isArray(e.step.proposals)) return e;
        const proposals = e.step.proposals.map((p: unknown) => (isRecord(p) && p.verdict !== undefined ? { ...p, verdict: verdictWithSource(p.verdict) } : p));
        return { ...e, step: { ...e.step, proposals } };
      })
    : r.timeline;
  return { ...r, schemaVersion: 2, timeline };
}

/** MIGRATIONS[n] turns a version-n record into a version-(n+1) record. */
const MIGRATIONS: ReadonlyArray<(r: RawRecord) => RawRecord> = [v0ToV1, v1ToV2];

/** The record's version: a missing field means the prototype's version 0. */
export function recordVersion(r: RawRecord): number | undefined {
  const v = r.schemaVersion;
  if (v === undefined) return 0;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

/** Brings a raw record up to the current version; unknown or newer versions are refused. */
export function migrateRecord(value: unknown, where: string): unknown {
  if (!isRecord(value)) throw new ValidationError(where, '(root): expected an object');
  const version = recordVersion(value);
  if (version === undefined) {
    throw new ValidationError(where, `schemaVersion: not a version number (${JSON.stringify(value.schemaVersion)})`);
  }
  if (version > TRACE_SCHEMA_VERSION) {
    throw new ValidationError(
      where,
      `schemaVersion: ${version} is newer than this app understands (${TRACE_SCHEMA_VERSION}); update Spotter`,
    );
  }
  let r = value;
  for (let v = version; v < TRACE_SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new ValidationError(where, `schemaVersion: no migration from version ${v}`);
    r = step(r);
  }
  return r;
}

/** Migrates and validates one record; the error names where and which field. */
export function parseTraceRecord(value: unknown, where: string): EpisodeTrace {
  const r = EpisodeTraceSchema.safeParse(migrateRecord(value, where));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ValidationError(where, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}
