import { TauDomainSchema, UserBenchEnvSchema, type EpisodeEnvironment } from '../envs/environment.ts';
import { ValidationError } from '../errors.ts';
import { engineFromLegacy } from '../contracts.ts';
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
  return withVerdicts(r, verdictWithSource);
}

/** The record with `change` applied to the verdict of every proposal of every step. */
function withVerdicts(r: RawRecord, change: (verdict: unknown) => unknown): RawRecord {
  const timeline = Array.isArray(r.timeline)
    ? r.timeline.map((e: unknown) => {
        if (!isRecord(e) || e.type !== 'step' || !isRecord(e.step) || !Array.isArray(e.step.proposals)) return e;
        const proposals = e.step.proposals.map((p: unknown) => (isRecord(p) && p.verdict !== undefined ? { ...p, verdict: change(p.verdict) } : p));
        return { ...e, step: { ...e.step, proposals } };
      })
    : r.timeline;
  return { ...r, timeline };
}

/**
 * Version 3 → 4: a verdict's `engine` is of the one engine vocabulary
 * (contracts.ts). A remote critic's verdicts said 'remote'; they now say the API
 * style, and the stored ones read as 'openai-compatible' (engineFromLegacy),
 * priced the same way, by model.
 */
function v3ToV4(r: RawRecord): RawRecord {
  return withVerdicts(r, (v) => (isRecord(v) && v.engine !== undefined ? { ...v, engine: engineFromLegacy(v.engine) } : v));
}

/**
 * Version 4 → 5: nothing stored changes. Version 5 adds what older records
 * never hold: timeline entries of the user's own tool calls (`user_tool`, τ³
 * telecom's phone) and `meta.dataSource`. The version says so to an older app,
 * which then asks to be updated instead of failing on an unknown entry.
 */
function v4ToV5(r: RawRecord): RawRecord {
  return r;
}

/**
 * The environment names versions 0 to 2 wrote ('policy-chat',
 * 'tau-bench/<domain>', 'userbench/<env>[-onechoice]'), as data. Undefined
 * for any other string: no version of the app wrote one.
 */
function environmentFromV1Name(name: string): EpisodeEnvironment | undefined {
  if (name === 'policy-chat') return { family: 'policy-chat' };
  const tau = /^tau-bench\/(.+)$/.exec(name);
  if (tau) {
    const domain = TauDomainSchema.safeParse(tau[1]);
    return domain.success ? { family: 'tau-bench', domain: domain.data } : undefined;
  }
  const ub = /^userbench\/(.+?)(-onechoice)?$/.exec(name);
  if (ub) {
    const domain = UserBenchEnvSchema.safeParse(ub[1]);
    return domain.success ? { family: 'userbench', domain: domain.data, ...(ub[2] ? { oneChoice: true } : {}) } : undefined;
  }
  return undefined;
}

/** Up to version 2 the environment was one string ('tau-bench/retail'); from version 3 it is stored as its parts. */
function environmentAsFields(r: RawRecord, where: string): RawRecord {
  if (!isRecord(r.meta) || typeof r.meta.environment !== 'string') return r; // validation names what is wrong
  const environment = environmentFromV1Name(r.meta.environment);
  if (!environment) throw new ValidationError(where, `meta.environment: unknown environment ${JSON.stringify(r.meta.environment)}`);
  return { ...r, meta: { ...r.meta, environment } };
}

/**
 * MIGRATIONS[n] turns a version-n record into a version-(n+1) record (the
 * version number is set after each step); `where` names the record in errors.
 */
const MIGRATIONS: ReadonlyArray<(r: RawRecord, where: string) => RawRecord> = [v0ToV1, v1ToV2, environmentAsFields, v3ToV4, v4ToV5];

/** The record's version: a missing field means the prototype's version 0. */
function recordVersion(r: RawRecord): number | undefined {
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
    r = { ...step(r, where), schemaVersion: v + 1 };
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
