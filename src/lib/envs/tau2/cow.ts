/**
 * Copy-on-write for domain databases. A domain's validated initial DB is a
 * template shared by every environment; an environment gets its own top-level
 * tables holding the template's records, and a record is deep-copied into the
 * environment the first time a tool fetches it (the only way tools reach a
 * record they may change). Template records never change, so their sorted
 * JSON (the DB hash's input) is computed once and reused.
 */
import { deepCopy, isDict, type PyDict, type PyValue } from '../tau-bench/py.ts';

const FROZEN = new WeakSet<PyDict>();

export function isFrozen(d: PyDict): boolean {
  return FROZEN.has(d);
}

/** Marks a validated DB's records (the values of its top-level tables) as template records. */
export function freezeRecords(db: PyDict): void {
  for (const table of db.values()) {
    if (!isDict(table)) continue;
    for (const rec of table.values()) if (isDict(rec)) FROZEN.add(rec);
  }
}

/** An environment's DB: its own tables over the template's records. */
export function envCopy(template: PyDict): PyDict {
  const db: PyDict = new Map();
  for (const [name, table] of template) db.set(name, isDict(table) ? new Map(table) : deepCopy(table));
  return db;
}

/** `table[key]` for a tool that may change it: a template record is copied into the table first. */
export function own(table: PyDict, key: string): PyValue | undefined {
  const rec = table.get(key);
  if (rec === undefined || !isDict(rec) || !FROZEN.has(rec)) return rec;
  const mine = deepCopy(rec);
  table.set(key, mine);
  return mine;
}
