/**
 * The exam runs of this browser, in IndexedDB: one record per run (which
 * critic, which set, which items) and one record per graded item, written as
 * each verdict lands. A reload finds the run and its graded items, so a resumed
 * run grades only the items without a record. Imported results files become
 * runs here too, so the comparison table reads one kind of thing.
 *
 * Its own database (`spotter-exam`): exam data shares nothing with episodes or
 * benchmark runs, and a database of its own is upgraded on its own.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { connection, ensureStores, type DbSchema } from '../indexed-db.ts';
import { toStorageError } from '../traces/trace-store.ts';
import { CriticDescriptorSchema } from './results.ts';
import { ExamItemSchema, ExamRecordSchema, type ExamRecord } from './schema.ts';

export const EXAM_RUN_VERSION = 1;

const ExamRunStatusSchema = z.enum(['running', 'stopped', 'done', 'imported']);

const ExamRunSchema = z.object({
  schemaVersion: z.literal(EXAM_RUN_VERSION),
  id: z.string().min(1),
  set: z.string().min(1),
  /** The items this run grades, in order (a limit takes a prefix of the set). */
  itemIds: z.array(z.string().min(1)),
  /** The critic as the results file describes it, so imported runs and runs graded here read alike. */
  critic: CriticDescriptorSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
  /** 'running' after a reload: the run was interrupted and resumes. */
  status: ExamRunStatusSchema,
  /** An imported file's name, for the table. */
  source: z.string().optional(),
});
export type ExamRun = z.infer<typeof ExamRunSchema>;

/** A personal exam set: built from this browser's episodes and labels, or imported from a JSONL file. */
const PersonalSetSchema = z.object({
  name: z.string().min(1),
  createdAt: z.number(),
  /** Where it came from, in words (label sources, or the imported file's name). */
  origin: z.string(),
  items: z.array(ExamItemSchema),
});
export type PersonalSet = z.infer<typeof PersonalSetSchema>;

/** The exam database: version 1 holds the runs, their graded items and the personal sets. */
const EXAM_DB: DbSchema = { name: 'spotter-exam', upgrades: [ensureStores('runs', 'records', 'sets')] };

/** A record's key: its run, then its item (so one key range reads a run's records). */
const SEP = '\u0000';
const recordKey = (runId: string, itemId: string): string => `${runId}${SEP}${itemId}`;
const runRange = (runId: string): IDBKeyRange => IDBKeyRange.bound(`${runId}${SEP}`, `${runId}${SEP}\uffff`);

function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ValidationError(where, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
}

export class ExamStore {
  readonly #open;

  constructor(schema: DbSchema = EXAM_DB) {
    this.#open = connection(schema);
  }

  async putRun(run: ExamRun): Promise<void> {
    try {
      await (await this.#open()).put('runs', run, run.id);
    } catch (err) {
      throw toStorageError(err, `exam run ${run.id}`);
    }
  }

  async getRun(id: string): Promise<ExamRun | undefined> {
    const value: unknown = await (await this.#open()).get('runs', id);
    return value === undefined ? undefined : parse(ExamRunSchema, value, `stored exam run ${id}`);
  }

  /** Valid runs, oldest first; an invalid record is skipped (and kept) rather than breaking the list. */
  async listRuns(): Promise<ExamRun[]> {
    const raw: unknown[] = await (await this.#open()).getAll('runs');
    const out: ExamRun[] = [];
    for (const v of raw) {
      const r = ExamRunSchema.safeParse(v);
      if (r.success) out.push(r.data);
    }
    return out.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Stores one graded item of a run, the moment its verdict lands. */
  async putRecord(runId: string, record: ExamRecord): Promise<void> {
    try {
      await (await this.#open()).put('records', record, recordKey(runId, record.id));
    } catch (err) {
      throw toStorageError(err, `exam verdict ${record.id}`);
    }
  }

  /** Stores a run with all its records in one transaction (an import: all or nothing). */
  async putRunWithRecords(run: ExamRun, records: readonly ExamRecord[]): Promise<void> {
    const db = await this.#open();
    const tx = db.transaction(['runs', 'records'], 'readwrite');
    try {
      const recs = tx.objectStore('records');
      await Promise.all([tx.objectStore('runs').put(run, run.id), ...records.map((r) => recs.put(r, recordKey(run.id, r.id))), tx.done]);
    } catch (err) {
      throw toStorageError(err, `exam run ${run.id}`);
    }
  }

  /** A run's graded items; an invalid stored record is left out (it is graded again). */
  async records(runId: string): Promise<ExamRecord[]> {
    const raw: unknown[] = await (await this.#open()).getAll('records', runRange(runId));
    const out: ExamRecord[] = [];
    for (const v of raw) {
      const r = ExamRecordSchema.safeParse(v);
      if (r.success) out.push(r.data);
    }
    return out;
  }

  async putSet(set: PersonalSet): Promise<void> {
    try {
      await (await this.#open()).put('sets', set, set.name);
    } catch (err) {
      throw toStorageError(err, `exam set ${set.name}`);
    }
  }

  /** Valid personal sets, by name; an invalid one is skipped (and kept). */
  async listSets(): Promise<PersonalSet[]> {
    const raw: unknown[] = await (await this.#open()).getAll('sets');
    const out: PersonalSet[] = [];
    for (const v of raw) {
      const r = PersonalSetSchema.safeParse(v);
      if (r.success) out.push(r.data);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async deleteSet(name: string): Promise<void> {
    await (await this.#open()).delete('sets', name);
  }

  async deleteRun(runId: string): Promise<void> {
    const db = await this.#open();
    const tx = db.transaction(['runs', 'records'], 'readwrite');
    await Promise.all([tx.objectStore('runs').delete(runId), tx.objectStore('records').delete(runRange(runId)), tx.done]);
  }
}
