/**
 * The exam's labelling rule, on database states (docs/exam.md).
 *
 * A state-changing call is `approve` when every record it changes
 * (`users/<id>`, `reservations/<id>`, `flights/<id>`) holds, right after the
 * call, a value that the task's gold action sequence also gives that record
 * at some point, from its initial value through gold's final value;
 * otherwise `revise`. A transfer to a human agent is `approve` when the gold
 * actions contain a transfer or when the database already equals gold's
 * final state; otherwise `revise`. A call that errors is not judged.
 *
 * Replays run on a copy-on-write view of the pack's database: a record is
 * copied the first time a call may write it, so a replay costs what it
 * touches, not a copy of the whole database. Which records a call may write
 * is read from its arguments (`recordsTouched`); a test checks it against a
 * full comparison of the database over every recorded call.
 */
import { hashableEqual } from '../envs/tau-bench/hash.ts';
import { stepAction } from '../envs/tau-bench/env.ts';
import { TERMINATE_TOOLS, type DomainPack, type TauTask } from '../envs/tau-bench/pack.ts';
import { deepCopy, isDict, type PyDict, type PyValue } from '../envs/tau-bench/py.ts';
import type { ExamLabel } from './schema.ts';

/** A record's value, or undefined where the record does not exist. */
type RecordValue = PyValue | undefined;

interface RecordChange {
  /** `<table>/<id>`, e.g. `reservations/HATHAT`. */
  key: string;
  before: RecordValue;
  after: RecordValue;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

function sameRecord(a: RecordValue, b: RecordValue): boolean {
  if (a === undefined || b === undefined) return a === b;
  return hashableEqual(a, b);
}

/**
 * A database that shares every record with the one it was made from until a
 * call may write it. Tables are its own (shallow) maps, so records a call
 * adds or removes never reach the source.
 */
export class ReplayDb {
  readonly data: PyDict;
  /** Records this view holds its own copy of (written or added here, or in the view it was forked from). */
  readonly #owned: Set<string>;
  /** Records that may differ from the pack's initial database. */
  readonly touched: Set<string>;

  constructor(source: PyDict, touched: ReadonlySet<string> = new Set()) {
    this.data = new Map();
    for (const [name, table] of source) this.data.set(name, isDict(table) ? new Map(table) : deepCopy(table));
    this.#owned = new Set();
    this.touched = new Set(touched);
  }

  /** A view that starts at this one's state and never changes it (while this one is not written meanwhile). */
  fork(): ReplayDb {
    return new ReplayDb(this.data, this.touched);
  }

  table(name: string): PyDict | undefined {
    const t = this.data.get(name);
    return t !== undefined && isDict(t) ? t : undefined;
  }

  value(key: string): RecordValue {
    const [table, id] = splitKey(key);
    return this.table(table)?.get(id);
  }

  /** Makes the record this view's own copy; returns its value before, which nothing will write. */
  own(key: string): RecordValue {
    const [tableName, id] = splitKey(key);
    const table = this.table(tableName);
    const v = table?.get(id);
    this.touched.add(key);
    if (table === undefined || v === undefined) return undefined;
    if (this.#owned.has(key)) return deepCopy(v);
    table.set(id, deepCopy(v));
    this.#owned.add(key);
    return v;
  }

  /** Records added by a call (tables only grow at the end, as dict insertion does). */
  adopt(key: string): void {
    this.#owned.add(key);
    this.touched.add(key);
  }
}

/** The records a call may write, from its arguments: the pattern of the airline tools. */
type RecordsTouched = (db: ReplayDb, name: string, kwargs: PyDict) => string[];

const str = (v: PyValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function flightKeys(flights: PyValue | undefined): string[] {
  if (!Array.isArray(flights)) return [];
  return flights.flatMap((f) => {
    const n = isDict(f) ? str(f.get('flight_number')) : undefined;
    return n === undefined ? [] : [`flights/${n}`];
  });
}

/**
 * Airline: the user named (`user_id`), the reservation named
 * (`reservation_id`) with its owner (payments come from the owner's
 * methods) and its flights, and the flights named (`flights`). New
 * reservations are found by the table growing.
 */
export const airlineRecordsTouched: RecordsTouched = (db, _name, kwargs) => {
  const keys = new Set<string>();
  const userId = str(kwargs.get('user_id'));
  if (userId !== undefined) keys.add(`users/${userId}`);
  const reservationId = str(kwargs.get('reservation_id'));
  if (reservationId !== undefined) {
    keys.add(`reservations/${reservationId}`);
    const r = db.table('reservations')?.get(reservationId);
    if (r !== undefined && isDict(r)) {
      const owner = str(r.get('user_id'));
      if (owner !== undefined) keys.add(`users/${owner}`);
      for (const k of flightKeys(r.get('flights'))) keys.add(k);
    }
  }
  for (const k of flightKeys(kwargs.get('flights'))) keys.add(k);
  return [...keys];
};

interface CallResult {
  observation: string;
  /** What `Env.step` returned as an error (`Error: …`) or an unknown tool. */
  failed: boolean;
  changes: RecordChange[];
}

/** Runs one call as `Env.step` does, on the view, and reports the records it changed. */
export function applyCall(db: ReplayDb, domain: DomainPack, name: string, kwargs: PyDict, touched: RecordsTouched): CallResult {
  const keys = touched(db, name, kwargs);
  const before = new Map(keys.map((k) => [k, db.own(k)]));
  const sizes = new Map([...db.data].map(([t, v]) => [t, isDict(v) ? v.size : 0]));
  const observation = stepAction(domain, db.data, { name, kwargs }) ?? '';
  const changes: RecordChange[] = [];
  for (const [key, b] of before) {
    const after = db.value(key);
    if (!sameRecord(b, after)) changes.push({ key, before: b, after });
  }
  for (const [tableName, size] of sizes) {
    const table = db.table(tableName);
    if (!table || table.size <= size) continue;
    for (const id of [...table.keys()].slice(size)) {
      const key = `${tableName}/${id}`;
      if (before.has(key)) continue;
      db.adopt(key);
      changes.push({ key, before: undefined, after: table.get(id) });
    }
  }
  const failed = observation.startsWith('Error: ') || !domain.toolsByName.has(name);
  return { observation, failed, changes };
}

/** The values each record takes along gold's path, initial value first; records gold never changes are absent. */
export interface GoldPath {
  values: Map<string, RecordValue[]>;
  /** The gold actions include a transfer to a human agent. */
  hasTransfer: boolean;
}

/** The record's value in the pack's initial database. */
function initialValue(domain: DomainPack, key: string): RecordValue {
  const [table, id] = splitKey(key);
  const t = domain.db.get(table);
  return t !== undefined && isDict(t) ? t.get(id) : undefined;
}

/** Replays the task's gold actions (as the original's reward does: terminate tools skipped) and records every value each changed record takes. */
export function goldPath(domain: DomainPack, task: TauTask, touched: RecordsTouched): GoldPath {
  const db = new ReplayDb(domain.db);
  const values = new Map<string, RecordValue[]>();
  let hasTransfer = false;
  for (const a of task.actions) {
    if (TERMINATE_TOOLS.includes(a.name)) {
      hasTransfer = true;
      continue;
    }
    if (a.name === 'respond') continue;
    // Gold's arguments are never written by the tools (they are bound as copies).
    const r = applyCall(db, domain, a.name, a.kwargs, touched);
    for (const c of r.changes) {
      const list = values.get(c.key) ?? [c.before === undefined ? undefined : deepCopy(c.before)];
      list.push(c.after === undefined ? undefined : deepCopy(c.after));
      values.set(c.key, list);
    }
  }
  return { values, hasTransfer };
}

/** Gold's final value of a record. */
function goldFinal(domain: DomainPack, path: GoldPath, key: string): RecordValue {
  const list = path.values.get(key);
  return list ? list[list.length - 1] : initialValue(domain, key);
}

export interface Judgement {
  label: ExamLabel;
  why: string;
}

function onPath(domain: DomainPack, path: GoldPath, c: RecordChange): { on: boolean; note: string } {
  const list = path.values.get(c.key);
  if (!list) {
    return sameRecord(initialValue(domain, c.key), c.after)
      ? { on: true, note: 'on gold\'s path (back to its initial value; gold leaves it unchanged)' }
      : { on: false, note: 'off gold\'s path (gold leaves it unchanged)' };
  }
  const at = list.findIndex((v) => sameRecord(v, c.after));
  if (at < 0) return { on: false, note: `off gold's path (gold gives it ${list.length - 1 === 1 ? 'another value' : 'other values'})` };
  const final = at === list.length - 1 ? "gold's final value" : at === 0 ? 'its initial value' : `gold's value after ${at} of its changes`;
  return { on: true, note: `on gold's path (${final})` };
}

/** The state rule for a call that succeeded and made `changes`. */
export function judgeChanges(domain: DomainPack, path: GoldPath, changes: readonly RecordChange[]): Judgement {
  if (changes.length === 0) return { label: 'approve', why: 'The call changes no record.' };
  const parts = changes.map((c) => ({ key: c.key, ...onPath(domain, path, c) }));
  const label: ExamLabel = parts.every((p) => p.on) ? 'approve' : 'revise';
  return { label, why: `Changes ${parts.map((p) => `${p.key}: ${p.note}`).join('; ')}.` };
}

/** Records where the view differs from gold's final state. */
export function differencesFromGoldFinal(db: ReplayDb, domain: DomainPack, path: GoldPath): string[] {
  const keys = new Set([...db.touched, ...path.values.keys()]);
  return [...keys].filter((k) => !sameRecord(db.value(k), goldFinal(domain, path, k))).sort();
}

/** The transfer rule, on the state at the moment of the transfer. */
export function judgeTransfer(db: ReplayDb, domain: DomainPack, path: GoldPath): Judgement {
  if (path.hasTransfer) return { label: 'approve', why: "Transfer to a human agent: gold's actions include a transfer." };
  const diff = differencesFromGoldFinal(db, domain, path);
  if (diff.length === 0) return { label: 'approve', why: "Transfer to a human agent: gold has none, but the database already equals gold's final state." };
  return {
    label: 'revise',
    why: `Transfer to a human agent: gold has none, and the database still differs from gold's final state in ${diff.join(', ')}.`,
  };
}
