/**
 * Rebuilds tau2-bench's airline `db.json` (commit a2c0247) from tau-bench v1's
 * airline files, which is all a snapshot holds: the v1 data in tau2's data
 * model (`{"flights", "users", "reservations"}`, `json.dumps(indent=4)`, no
 * final newline), with the key order the real file has (flights lead with
 * origin/destination, users with user_id, payment methods with source/id),
 * every payment-method amount a float, and a few records patched
 * (tests/fixtures/tau2/airline-db-patches.json says where they came from).
 *
 * The real file's git blob id is known, so any rebuild is checked exactly:
 * `AIRLINE_DB_BLOB`. `gitBlobId` computes it the way `git hash-object` does.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PyFloat, dumps, isDict, parseJson, type PyDict, type PyValue } from '../src/lib/envs/tau-bench/py.ts';

/** `git hash-object data/tau2/domains/airline/db.json` at a2c0247. */
export const AIRLINE_DB_BLOB = 'c6a1e817aa9102c5822e83affb3595acbc312701';
/** Its length in characters (all ASCII, so also bytes). */
export const AIRLINE_DB_LENGTH = 7_042_725;

/** git's blob id: SHA-1 of `blob <size>\0<content>`. */
export function gitBlobId(content: string | Uint8Array): string {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

const PatchValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(PatchValue), z.record(z.string(), PatchValue)]),
);
export const AirlineDbPatches = z.object({
  _source: z.string(),
  flights: z.record(z.string(), z.record(z.string(), PatchValue)),
  reservations: z.record(z.string(), z.record(z.string(), PatchValue)),
});
export type AirlineDbPatches = z.infer<typeof AirlineDbPatches>;

function asDict(v: PyValue | undefined, what: string): PyDict {
  if (v === undefined || !isDict(v)) throw new Error(`tau2 airline rebuild: ${what} is not an object`);
  return v;
}

/** A new dict with `first` keys leading (those present), the rest in their order. */
function reorder(d: PyDict, first: readonly string[]): PyDict {
  const out: PyDict = new Map();
  for (const k of first) {
    const v = d.get(k);
    if (v !== undefined) out.set(k, v);
  }
  for (const [k, v] of d) if (!out.has(k)) out.set(k, v);
  return out;
}

function toPy(v: unknown): PyValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map(toPy);
  if (typeof v === 'object') return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toPy(x)]));
  throw new Error('tau2 airline rebuild: unsupported patch value');
}

/** Deep-merges `patch` into `target` (objects merge key by key; anything else replaces). */
function merge(target: PyDict, patch: Record<string, unknown>, where: string): void {
  for (const [k, v] of Object.entries(patch)) {
    const cur = target.get(k);
    if (cur === undefined) throw new Error(`tau2 airline rebuild: patch names ${where}.${k}, which v1 lacks`);
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && isDict(cur)) {
      // A patched flight date replaces its status record whole (its fields differ per status).
      if (where.endsWith('.dates')) target.set(k, toPy(v));
      else merge(cur, v as Record<string, unknown>, `${where}.${k}`);
    } else target.set(k, toPy(v));
  }
}

export interface V1AirlineTexts {
  flights: string;
  users: string;
  reservations: string;
}

/** The rebuilt `db.json` text. */
export function buildAirlineDb(v1: V1AirlineTexts, patches: AirlineDbPatches): string {
  const flights = asDict(parseJson(v1.flights), 'flights.json');
  const users = asDict(parseJson(v1.users), 'users.json');
  const reservations = asDict(parseJson(v1.reservations), 'reservations.json');

  const F: PyDict = new Map();
  for (const [id, f] of flights) {
    F.set(id, reorder(asDict(f, `flight ${id}`), ['origin', 'destination', 'flight_number']));
  }
  const U: PyDict = new Map();
  for (const [id, raw] of users) {
    const u = asDict(raw, `user ${id}`);
    const user: PyDict = new Map([['user_id', id]]);
    for (const [k, v] of u) if (k !== 'user_id') user.set(k, v);
    const pms = asDict(user.get('payment_methods'), `user ${id}.payment_methods`);
    const out: PyDict = new Map();
    for (const [pid, pm] of pms) {
      const m = reorder(asDict(pm, `user ${id} payment ${pid}`), ['source', 'id']);
      const amount = m.get('amount');
      if (typeof amount === 'number') m.set('amount', new PyFloat(amount));
      out.set(pid, m);
    }
    user.set('payment_methods', out);
    U.set(id, user);
  }
  for (const [id, patch] of Object.entries(patches.flights)) merge(asDict(F.get(id), `flight ${id}`), patch, `flights.${id}`);
  for (const [id, patch] of Object.entries(patches.reservations)) {
    merge(asDict(reservations.get(id), `reservation ${id}`), patch, `reservations.${id}`);
  }
  return dumps(new Map<string, PyValue>([['flights', F], ['users', U], ['reservations', reservations]]), 4);
}
