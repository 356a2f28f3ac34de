/**
 * The persisted state of a benchmark run: its spec and one result per
 * finished slot. Stored in its own IndexedDB database so that a reload finds
 * the run and resumes only the slots without a result.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { connection, ensureStores, type DbSchema } from '../indexed-db.ts';
import { OutcomeSchema } from '../loop/events.ts';
import { toStorageError } from '../traces/trace-store.ts';
import { UsageEntrySchema } from '../usage.ts';
import { RunSpecSchema, type RunSpec } from './plan.ts';
import { TauDomainSchema, UserBenchEnvSchema } from '../envs/environment.ts';
import { type BenchEnvironment } from '../envs/bench-environment.ts';

/** 2: the spec names its benchmark as data (`environment`), no longer as a `domain` string with UserBench options beside it. */
export const RUN_RECORD_VERSION = 2;

const SlotResultSchema = z.object({
  key: z.string(),
  episodeId: z.string(),
  configIndex: z.number().int().nonnegative(),
  taskIndex: z.number().int().nonnegative(),
  trial: z.number().int().nonnegative(),
  outcome: OutcomeSchema,
  reward: z.number(),
  /** τ³: the reward basis needs the NL-assertion judge and the run had none; `reward` is then 0 and means nothing. */
  notJudged: z.literal(true).optional(),
  rewardDetails: z.record(z.string(), z.unknown()).optional(),
  /** UserBench: the reward of every turn, in order (eval.py's per-rollout reward list). */
  turnRewards: z.array(z.number()).optional(),
  error: z.string().optional(),
  steps: z.number().int().nonnegative(),
  /** Proposals sent back by the critic, and steps that ran flagged after K revisions. */
  revisions: z.number().int().nonnegative(),
  flagged: z.number().int().nonnegative(),
  usage: z.array(UsageEntrySchema),
  actorCalls: z.number().int().nonnegative(),
  actorLatencyMs: z.number().nonnegative(),
  criticCalls: z.number().int().nonnegative(),
  criticLatencyMs: z.number().nonnegative(),
  /** Critic error verdicts, and those that were context overflows (0 in records made before they were counted). */
  criticErrors: z.number().int().nonnegative().default(0),
  contextOverflows: z.number().int().nonnegative().default(0),
  startedAt: z.number(),
  endedAt: z.number(),
});
export type SlotResult = z.infer<typeof SlotResultSchema>;

const RunStatusSchema = z.enum(['pending', 'running', 'cancelled', 'done', 'error']);

export const RunRecordSchema = z.object({
  schemaVersion: z.literal(RUN_RECORD_VERSION),
  spec: RunSpecSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
  /** 'running' in storage after a reload means the run was interrupted and can resume. */
  status: RunStatusSchema,
  error: z.string().optional(),
  results: z.record(z.string(), SlotResultSchema),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

export function newRunRecord(spec: RunSpec, now: number): RunRecord {
  return { schemaVersion: RUN_RECORD_VERSION, spec, createdAt: now, updatedAt: now, status: 'pending', results: {} };
}

/** A version-1 record: only the fields the upgrade reads; the rest is carried over and checked by today's schema. */
const RunRecordV1Schema = z.looseObject({
  schemaVersion: z.literal(1),
  spec: z.looseObject({
    domain: z.union([TauDomainSchema, UserBenchEnvSchema]),
    oneChoice: z.boolean().optional(),
    tasksFile: z.string().optional(),
    scenarioFiles: z.array(z.string()).optional(),
  }),
});

/**
 * Brings a stored record to today's version: a version-1 spec's `domain` string
 * and UserBench options become `environment`. Anything else is returned as it
 * is, for the schema to accept or name what is wrong.
 */
function upgradeRunRecord(value: unknown): unknown {
  const v1 = RunRecordV1Schema.safeParse(value);
  if (!v1.success) return value;
  const { domain, oneChoice, tasksFile, scenarioFiles, ...rest } = v1.data.spec;
  // The one place a family is told from a domain name: records written before runs stored it.
  const tau = TauDomainSchema.safeParse(domain);
  const environment: BenchEnvironment = tau.success
    ? { family: 'tau-bench', domain: tau.data }
    : {
        family: 'userbench',
        domain: UserBenchEnvSchema.parse(domain),
        ...(oneChoice ? { oneChoice: true } : {}),
        ...(tasksFile ? { tasksFile } : {}),
        ...(scenarioFiles ? { scenarioFiles } : {}),
      };
  return { ...v1.data, schemaVersion: RUN_RECORD_VERSION, spec: { ...rest, environment } };
}

export function parseRunRecord(value: unknown, where: string): RunRecord {
  const r = RunRecordSchema.safeParse(upgradeRunRecord(value));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ValidationError(where, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** Where run records live; IndexedDB in the browser, a JSON file under Node. */
export interface RunStore {
  get(id: string): Promise<RunRecord | undefined>;
  put(record: RunRecord): Promise<void>;
  list(): Promise<RunRecord[]>;
  delete(id: string): Promise<void>;
}

/** The runs database: version 1 is the one store idb-keyval's createStore made. */
function runDbSchema(dbName: string, storeName: string): DbSchema {
  return { name: dbName, upgrades: [ensureStores(storeName)] };
}

export class IdbRunStore implements RunStore {
  readonly #open;

  constructor(
    dbName = 'spotter-bench',
    readonly storeName = 'runs',
  ) {
    this.#open = connection(runDbSchema(dbName, storeName));
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const value: unknown = await (await this.#open()).get(this.storeName, id);
    return value === undefined ? undefined : parseRunRecord(value, `stored run ${id}`);
  }

  async put(record: RunRecord): Promise<void> {
    try {
      await (await this.#open()).put(this.storeName, record, record.spec.id);
    } catch (err) {
      throw toStorageError(err, `benchmark run ${record.spec.id}`);
    }
  }

  /** Valid runs, newest first; an invalid record is skipped rather than breaking the list. */
  async list(): Promise<RunRecord[]> {
    const raw: unknown[] = await (await this.#open()).getAll(this.storeName);
    const out: RunRecord[] = [];
    for (const v of raw) {
      const r = RunRecordSchema.safeParse(upgradeRunRecord(v));
      if (r.success) out.push(r.data);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  async delete(id: string): Promise<void> {
    await (await this.#open()).delete(this.storeName, id);
  }
}
