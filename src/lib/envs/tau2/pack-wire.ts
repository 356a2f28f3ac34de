/**
 * A loaded τ³ pack as it crosses from the pack worker to the page.
 *
 * The page must hold the environment itself: the loop, the user simulator,
 * the person's seat and the evaluator call its tools synchronously. What it
 * needs is the validated database template (Python values: Maps in file
 * order, PyFloat for floats), which structured clone cannot carry (PyFloat
 * loses its class) and which would cost one long task to deserialize (airline:
 * 7 MB). So the worker parses and validates everything, then writes each
 * database record and each task as Python JSON (py.ts `dumps`) into one
 * transferred buffer (no copy); the page parses them back a record at a time
 * (the same values: `dumps` and `parseJson` round-trip) in slices of a few
 * milliseconds, yielding between slices, so the page's thread is never held
 * for long. Tasks are checked again by their schema as they arrive.
 */
import { z } from 'zod';
import { ValidationError, errorMessage } from '../../errors.ts';
import { dumps, isDict, parseJson, type PyDict, type PyValue } from '../tau-bench/py.ts';
import { Tau2DomainSchema } from '../environment.ts';
import { TAU2_DOMAIN_SPECS, envFactoryOf, type Tau2DomainDbs } from './domains.ts';
import type { Tau2Pack, Tau2PackData } from './pack.ts';
import { taskFromRaw, type Tau2Task } from './tasks.ts';

const offset = z.number().int().nonnegative();

/**
 * A database as segments of the buffer: each top-level table whose value is a dict as one
 * segment per record (`keys`), any other top-level value as one segment (`keys` null).
 */
const DbWireSchema = z.object({
  tables: z.array(z.object({ name: z.string(), keys: z.array(z.string()).nullable(), ends: z.array(offset) })),
});
type DbWire = z.infer<typeof DbWireSchema>;

const Tau2PackWireSchema = z.object({
  domain: Tau2DomainSchema,
  describe: z.string(),
  domainPolicy: z.string(),
  splits: z.record(z.string(), z.array(z.string())),
  taskFiles: z.array(z.object({ path: z.string(), count: z.number().int().nonnegative() })),
  /** Where each task's tasks.json object ends in `texts` (UTF-8 bytes); each segment starts where the one before ended. */
  taskEnds: z.array(offset),
  db: DbWireSchema,
  userDb: DbWireSchema.nullable(),
  /** Every segment, in order: the tasks, then the database's tables, then the user's. */
  texts: z.instanceof(ArrayBuffer),
});
export type Tau2PackWire = z.infer<typeof Tau2PackWireSchema>;

class SegmentWriter {
  readonly #parts: Uint8Array[] = [];
  readonly #encoder = new TextEncoder();
  #at = 0;

  /** Appends `v` as Python JSON; returns where it ends. */
  add(v: PyValue): number {
    const bytes = this.#encoder.encode(dumps(v));
    this.#parts.push(bytes);
    this.#at += bytes.length;
    return this.#at;
  }

  buffer(): ArrayBuffer {
    const out = new Uint8Array(this.#at);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.length;
    }
    return out.buffer;
  }
}

function dbToWire(db: PyDict, out: SegmentWriter): DbWire {
  const tables: DbWire['tables'] = [];
  for (const [name, value] of db) {
    if (isDict(value)) tables.push({ name, keys: [...value.keys()], ends: [...value.values()].map((rec) => out.add(rec)) });
    else tables.push({ name, keys: null, ends: [out.add(value)] });
  }
  return { tables };
}

/** The pack as the worker posts it (transfer `texts`). */
export function packToWire(pack: Tau2PackData): Tau2PackWire {
  const out = new SegmentWriter();
  const taskEnds = pack.rawTasks.map((t) => out.add(t));
  const db = dbToWire(pack.dbs.db, out);
  const userDb = pack.dbs.userDb === null ? null : dbToWire(pack.dbs.userDb, out);
  return {
    domain: pack.domain,
    describe: pack.describe,
    domainPolicy: pack.domainPolicy,
    splits: pack.splits,
    taskFiles: pack.taskFiles,
    taskEnds,
    db,
    userDb,
    texts: out.buffer(),
  };
}

/** Hands the page's thread back after `budgetMs` of work (the message event's task included). */
class Slicer {
  #since = performance.now();
  constructor(private readonly budgetMs: number) {}

  async pause(): Promise<void> {
    if (performance.now() - this.#since < this.budgetMs) return;
    await new Promise((r) => setTimeout(r, 0));
    this.#since = performance.now();
  }
}

/** The buffer's segments in order, each parsed as Python JSON; errors name the segment. */
class SegmentReader {
  #at = 0;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  constructor(private readonly texts: ArrayBuffer) {}

  next(end: number, what: string): PyValue {
    try {
      if (end < this.#at || end > this.texts.byteLength) throw new Error(`its text (bytes ${this.#at} to ${end}) is outside the buffer of ${this.texts.byteLength}`);
      const text = this.#decoder.decode(new Uint8Array(this.texts, this.#at, end - this.#at));
      this.#at = end;
      return parseJson(text);
    } catch (err) {
      throw new ValidationError(`${what} from the τ³ pack worker`, errorMessage(err));
    }
  }
}

async function dbFromWire(wire: DbWire, file: string, read: SegmentReader, slicer: Slicer): Promise<PyDict> {
  const db: PyDict = new Map();
  for (const { name, keys, ends } of wire.tables) {
    if (keys === null) {
      const [end] = ends;
      if (end === undefined || ends.length !== 1) throw new ValidationError(`${file} ${name} from the τ³ pack worker`, `expected one segment, got ${ends.length}`);
      db.set(name, read.next(end, `${file} ${name}`));
      continue;
    }
    if (keys.length !== ends.length) throw new ValidationError(`${file} ${name} from the τ³ pack worker`, `${keys.length} keys but ${ends.length} records`);
    const table: PyDict = new Map();
    for (let i = 0; i < keys.length; i++) {
      await slicer.pause();
      const key = keys[i] ?? '';
      table.set(key, read.next(ends[i] ?? -1, `${file} ${name}[${JSON.stringify(key)}]`));
    }
    db.set(name, table);
  }
  return db;
}

/**
 * The pack the page uses, from a posted wire value: checked by its schema, then its tasks and database
 * records parsed a few milliseconds at a time (`sliceMs`), yielding the page's thread between slices.
 */
export async function packFromPosted(value: unknown, sliceMs = 8): Promise<Tau2Pack> {
  const slicer = new Slicer(sliceMs);
  await slicer.pause();
  const parsed = Tau2PackWireSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError('pack from the τ³ pack worker', issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid');
  }
  const wire = parsed.data;
  const read = new SegmentReader(wire.texts);
  const counted = wire.taskFiles.reduce((n, f) => n + f.count, 0);
  if (counted !== wire.taskEnds.length) throw new ValidationError('pack from the τ³ pack worker', `${wire.taskEnds.length} tasks but the task files hold ${counted}`);
  const rawTasks: PyValue[] = [];
  const tasks: Tau2Task[] = [];
  let n = 0;
  for (const file of wire.taskFiles) {
    for (let i = 0; i < file.count; i++, n++) {
      await slicer.pause();
      const raw = read.next(wire.taskEnds[n] ?? -1, `${file.path} task #${i}`);
      try {
        tasks.push(taskFromRaw(raw, i, file.path));
      } catch (err) {
        throw new ValidationError(`${file.path} from the τ³ pack worker`, errorMessage(err));
      }
      rawTasks.push(raw);
    }
  }
  const files = TAU2_DOMAIN_SPECS[wire.domain].files;
  const dbs: Tau2DomainDbs = {
    db: await dbFromWire(wire.db, `${wire.domain}/${files.db}`, read, slicer),
    userDb: wire.userDb === null ? null : await dbFromWire(wire.userDb, `${wire.domain}/${files.userDb ?? 'user_db'}`, read, slicer),
  };
  await slicer.pause();
  return {
    domain: wire.domain,
    describe: wire.describe,
    domainPolicy: wire.domainPolicy,
    tasks,
    rawTasks,
    splits: wire.splits,
    makeEnv: envFactoryOf(wire.domain, dbs),
  };
}
