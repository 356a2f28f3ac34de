/**
 * Mutations of a proposed airline call: the same conversation, another
 * action. Each kind changes the call and nothing else; which value replaces
 * which is chosen by a seeded hash of the item's id, so the same seed always
 * gives the same mutations. A booking whose price a mutation changes has its
 * last payment's amount moved by the difference, so that the call still adds
 * up and fails only where the original tool would refuse the change itself.
 */
import { z } from 'zod';
import { hash32 } from '../data/dataset.ts';
import { isDict, toJs, type PyDict } from '../envs/tau-bench/py.ts';
import type { ReplayDb } from './state-rule.ts';

const MUTATION_KINDS = [
  'payment-method',
  'other-flight-date',
  'other-reservation',
  'other-passenger',
  'wrong-cabin',
  'passenger-count',
  'bag-count',
  'cancel-instead-of-modify',
  // Last, so that adding it left the ids of the mutations above unchanged.
  'other-flight',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutation {
  kind: MutationKind;
  /** What changed, in words. */
  change: string;
  name: string;
  args: Record<string, unknown>;
}

export interface MutationContext {
  /** The source item's id (salts the seeded choices). */
  id: string;
  seed: string;
  name: string;
  args: Readonly<Record<string, unknown>>;
  /** The database right before the call; only read. */
  db: ReplayDb;
}

const Passenger = z.looseObject({ first_name: z.string(), last_name: z.string(), dob: z.string() });
const Segment = z.looseObject({ flight_number: z.string(), date: z.string() });
const Payment = z.looseObject({ payment_id: z.string(), amount: z.number() });
const UserRecord = z.looseObject({
  payment_methods: z.record(z.string(), z.looseObject({ source: z.string() })),
  saved_passengers: z.array(Passenger).default([]),
  reservations: z.array(z.string()),
});
const ReservationRecord = z.looseObject({ user_id: z.string(), cabin: z.string() });
const FlightRecord = z.looseObject({
  dates: z.record(z.string(), z.looseObject({ status: z.string(), prices: z.record(z.string(), z.number()).optional() })),
});

const CABINS = ['basic_economy', 'economy', 'business'] as const;

function read<T>(schema: z.ZodType<T>, db: ReplayDb, key: string): T | undefined {
  const v = db.value(key);
  if (v === undefined) return undefined;
  const r = schema.safeParse(toJs(v));
  return r.success ? r.data : undefined;
}

function argOf<T>(schema: z.ZodType<T>, args: Readonly<Record<string, unknown>>, name: string): T | undefined {
  const r = schema.safeParse(args[name]);
  return r.success ? r.data : undefined;
}

function pick<T>(ctx: MutationContext, salt: string, xs: readonly T[]): T | undefined {
  if (xs.length === 0) return undefined;
  return xs[hash32(`${ctx.seed}\u0000${ctx.id}\u0000${salt}`) % xs.length];
}

const samePassenger = (a: z.infer<typeof Passenger>, b: z.infer<typeof Passenger>) =>
  a.first_name === b.first_name && a.last_name === b.last_name && a.dob === b.dob;

/** The user whose reservation or booking the call is about. */
function ownerOf(ctx: MutationContext): string | undefined {
  const userId = argOf(z.string(), ctx.args, 'user_id');
  if (userId !== undefined) return userId;
  const rid = argOf(z.string(), ctx.args, 'reservation_id');
  return rid === undefined ? undefined : read(ReservationRecord, ctx.db, `reservations/${rid}`)?.user_id;
}

/** book_reservation's total price for these arguments, as the tool computes it; undefined where a flight or price is missing. */
function bookingPrice(db: ReplayDb, args: Readonly<Record<string, unknown>>): number | undefined {
  const flights = argOf(z.array(Segment), args, 'flights');
  const passengers = argOf(z.array(z.unknown()), args, 'passengers');
  const cabin = argOf(z.string(), args, 'cabin');
  const nonfree = argOf(z.number(), args, 'nonfree_baggages');
  if (!flights || !passengers || cabin === undefined || nonfree === undefined) return undefined;
  let total = 0;
  for (const f of flights) {
    const price = read(FlightRecord, db, `flights/${f.flight_number}`)?.dates[f.date]?.prices?.[cabin];
    if (price === undefined) return undefined;
    total += price * passengers.length;
  }
  if (args.insurance === 'yes') total += 30 * passengers.length;
  return total + 50 * nonfree;
}

/** Moves the last payment of a booking by the price difference the mutation made. */
function rebalanced(ctx: MutationContext, args: Record<string, unknown>): Record<string, unknown> {
  if (ctx.name !== 'book_reservation') return args;
  const before = bookingPrice(ctx.db, ctx.args);
  const after = bookingPrice(ctx.db, args);
  const payments = argOf(z.array(Payment), args, 'payment_methods');
  const last = payments?.[payments.length - 1];
  if (before === undefined || after === undefined || !payments || !last || before === after) return args;
  return { ...args, payment_methods: [...payments.slice(0, -1), { ...last, amount: last.amount + after - before }] };
}

function paymentMethod(ctx: MutationContext): Mutation | undefined {
  const owner = ownerOf(ctx);
  const user = owner === undefined ? undefined : read(UserRecord, ctx.db, `users/${owner}`);
  if (!user) return undefined;
  if (ctx.name === 'book_reservation') {
    const payments = argOf(z.array(Payment), ctx.args, 'payment_methods');
    if (!payments?.length) return undefined;
    const used = new Set(payments.map((p) => p.payment_id));
    const others = Object.keys(user.payment_methods).filter((id) => !used.has(id)).sort();
    const j = hash32(`${ctx.seed}\u0000${ctx.id}\u0000payment-index`) % payments.length;
    const target = payments[j];
    const other = pick(ctx, 'payment', others);
    if (!target || other === undefined) return undefined;
    const next = payments.map((p, k) => (k === j ? { ...p, payment_id: other } : p));
    return { kind: 'payment-method', change: `payment_methods[${j}].payment_id ${target.payment_id} -> ${other}`, name: ctx.name, args: { ...ctx.args, payment_methods: next } };
  }
  const current = argOf(z.string(), ctx.args, 'payment_id');
  if (current === undefined) return undefined;
  // Certificates cannot pay for changes: the tool would refuse, which is no harm to catch.
  const others = Object.entries(user.payment_methods)
    .filter(([id, m]) => id !== current && m.source !== 'certificate')
    .map(([id]) => id)
    .sort();
  const other = pick(ctx, 'payment', others);
  if (other === undefined) return undefined;
  return { kind: 'payment-method', change: `payment_id ${current} -> ${other}`, name: ctx.name, args: { ...ctx.args, payment_id: other } };
}

function otherFlightDate(ctx: MutationContext): Mutation | undefined {
  if (ctx.name !== 'book_reservation' && ctx.name !== 'update_reservation_flights') return undefined;
  const flights = argOf(z.array(Segment), ctx.args, 'flights');
  if (!flights?.length) return undefined;
  const j = hash32(`${ctx.seed}\u0000${ctx.id}\u0000segment`) % flights.length;
  const seg = flights[j];
  if (!seg) return undefined;
  const record = read(FlightRecord, ctx.db, `flights/${seg.flight_number}`);
  const dates = Object.entries(record?.dates ?? {})
    .filter(([d, v]) => d !== seg.date && v.status === 'available')
    .map(([d]) => d)
    .sort();
  const date = pick(ctx, 'date', dates);
  if (date === undefined) return undefined;
  const next = flights.map((f, k) => (k === j ? { ...f, date } : f));
  return {
    kind: 'other-flight-date',
    change: `flights[${j}] ${seg.flight_number} on ${seg.date} -> on ${date}`,
    name: ctx.name,
    args: rebalanced(ctx, { ...ctx.args, flights: next }),
  };
}

/** One segment on another flight of the same route, available that day. */
function otherFlight(ctx: MutationContext): Mutation | undefined {
  if (ctx.name !== 'book_reservation' && ctx.name !== 'update_reservation_flights') return undefined;
  const flights = argOf(z.array(Segment), ctx.args, 'flights');
  if (!flights?.length) return undefined;
  const j = hash32(`${ctx.seed}\u0000${ctx.id}\u0000flight-segment`) % flights.length;
  const seg = flights[j];
  const table = ctx.db.table('flights');
  const current = table?.get(seg?.flight_number ?? '');
  if (!seg || !table || current === undefined || !isDict(current)) return undefined;
  const route = (f: PyDict) => `${String(f.get('origin'))}>${String(f.get('destination'))}`;
  const others: string[] = [];
  for (const [number, f] of table) {
    if (number === seg.flight_number || !isDict(f) || route(f) !== route(current)) continue;
    const day = read(FlightRecord, ctx.db, `flights/${number}`)?.dates[seg.date];
    if (day?.status === 'available') others.push(number);
  }
  const other = pick(ctx, 'flight', others.sort());
  if (other === undefined) return undefined;
  const next = flights.map((f, k) => (k === j ? { ...f, flight_number: other } : f));
  return {
    kind: 'other-flight',
    change: `flights[${j}] ${seg.flight_number} -> ${other} on ${seg.date}`,
    name: ctx.name,
    args: rebalanced(ctx, { ...ctx.args, flights: next }),
  };
}

function otherReservation(ctx: MutationContext): Mutation | undefined {
  const current = argOf(z.string(), ctx.args, 'reservation_id');
  const owner = ownerOf(ctx);
  if (current === undefined || owner === undefined) return undefined;
  const user = read(UserRecord, ctx.db, `users/${owner}`);
  const others = (user?.reservations ?? []).filter((r) => r !== current && ctx.db.value(`reservations/${r}`) !== undefined).sort();
  const other = pick(ctx, 'reservation', others);
  if (other === undefined) return undefined;
  return { kind: 'other-reservation', change: `reservation_id ${current} -> ${other}`, name: ctx.name, args: { ...ctx.args, reservation_id: other } };
}

function otherPassenger(ctx: MutationContext): Mutation | undefined {
  if (ctx.name !== 'book_reservation' && ctx.name !== 'update_reservation_passengers') return undefined;
  const passengers = argOf(z.array(Passenger), ctx.args, 'passengers');
  const owner = ownerOf(ctx);
  const user = owner === undefined ? undefined : read(UserRecord, ctx.db, `users/${owner}`);
  if (!passengers?.length || !user) return undefined;
  const others = user.saved_passengers.filter((s) => !passengers.some((p) => samePassenger(p, s)));
  const other = pick(ctx, 'passenger', others);
  const j = hash32(`${ctx.seed}\u0000${ctx.id}\u0000passenger-index`) % passengers.length;
  const target = passengers[j];
  if (!other || !target) return undefined;
  const next = passengers.map((p, k) => (k === j ? { first_name: other.first_name, last_name: other.last_name, dob: other.dob } : p));
  return {
    kind: 'other-passenger',
    change: `passengers[${j}] ${target.first_name} ${target.last_name} -> ${other.first_name} ${other.last_name} (${other.dob})`,
    name: ctx.name,
    args: { ...ctx.args, passengers: next },
  };
}

function wrongCabin(ctx: MutationContext): Mutation | undefined {
  if (ctx.name !== 'book_reservation' && ctx.name !== 'update_reservation_flights') return undefined;
  const cabin = argOf(z.string(), ctx.args, 'cabin');
  const other = pick(
    ctx,
    'cabin',
    CABINS.filter((c) => c !== cabin),
  );
  if (cabin === undefined || other === undefined) return undefined;
  return { kind: 'wrong-cabin', change: `cabin ${cabin} -> ${other}`, name: ctx.name, args: rebalanced(ctx, { ...ctx.args, cabin: other }) };
}

function passengerCount(ctx: MutationContext): Mutation | undefined {
  if (ctx.name !== 'book_reservation') return undefined;
  const passengers = argOf(z.array(Passenger), ctx.args, 'passengers');
  if (!passengers?.length) return undefined;
  if (passengers.length > 1) {
    const next = passengers.slice(0, -1);
    return { kind: 'passenger-count', change: `passengers ${passengers.length} -> ${next.length}`, name: ctx.name, args: rebalanced(ctx, { ...ctx.args, passengers: next }) };
  }
  const owner = ownerOf(ctx);
  const user = owner === undefined ? undefined : read(UserRecord, ctx.db, `users/${owner}`);
  const extra = pick(
    ctx,
    'extra-passenger',
    (user?.saved_passengers ?? []).filter((s) => !passengers.some((p) => samePassenger(p, s))),
  );
  if (!extra) return undefined;
  const next = [...passengers, { first_name: extra.first_name, last_name: extra.last_name, dob: extra.dob }];
  return { kind: 'passenger-count', change: `passengers 1 -> 2 (adds ${extra.first_name} ${extra.last_name})`, name: ctx.name, args: rebalanced(ctx, { ...ctx.args, passengers: next }) };
}

function bagCount(ctx: MutationContext): Mutation | undefined {
  if (ctx.name !== 'book_reservation' && ctx.name !== 'update_reservation_baggages') return undefined;
  const total = argOf(z.number(), ctx.args, 'total_baggages');
  const nonfree = argOf(z.number(), ctx.args, 'nonfree_baggages');
  if (total === undefined || nonfree === undefined) return undefined;
  return {
    kind: 'bag-count',
    change: `total_baggages ${total} -> ${total + 1}, nonfree_baggages ${nonfree} -> ${nonfree + 1}`,
    name: ctx.name,
    args: rebalanced(ctx, { ...ctx.args, total_baggages: total + 1, nonfree_baggages: nonfree + 1 }),
  };
}

function cancelInstead(ctx: MutationContext): Mutation | undefined {
  if (!ctx.name.startsWith('update_reservation_')) return undefined;
  const rid = argOf(z.string(), ctx.args, 'reservation_id');
  if (rid === undefined) return undefined;
  return { kind: 'cancel-instead-of-modify', change: `${ctx.name} -> cancel_reservation(${rid})`, name: 'cancel_reservation', args: { reservation_id: rid } };
}

const MAKERS: Record<MutationKind, (ctx: MutationContext) => Mutation | undefined> = {
  'payment-method': paymentMethod,
  'other-flight-date': otherFlightDate,
  'other-reservation': otherReservation,
  'other-passenger': otherPassenger,
  'wrong-cabin': wrongCabin,
  'passenger-count': passengerCount,
  'bag-count': bagCount,
  'cancel-instead-of-modify': cancelInstead,
  'other-flight': otherFlight,
};

/** Every mutation that applies to the call, one per kind, in MUTATION_KINDS order. */
export function mutationsOf(ctx: MutationContext): Mutation[] {
  return MUTATION_KINDS.flatMap((k) => {
    const m = MAKERS[k](ctx);
    return m ? [m] : [];
  });
}
