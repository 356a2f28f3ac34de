import { describe, expect, it } from 'vitest';
import type { DomainPack, TauAction, TauTask } from '../envs/tau-bench/pack.ts';
import { tinyAirline } from '../../../tests/fixtures/tiny-airline.ts';
import { fromJs, isDict, toJs, type PyDict } from '../envs/tau-bench/py.ts';
import {
  airlineRecordsTouched,
  applyCall,
  differencesFromGoldFinal,
  goldPath,
  judgeChanges,
  judgeTransfer,
  ReplayDb,
} from './state-rule.ts';

const kw = (o: Record<string, unknown>): PyDict => {
  const v = fromJs(o);
  if (!isDict(v)) throw new Error('kwargs');
  return v;
};
const act = (name: string, kwargs: Record<string, unknown>): TauAction => ({ name, kwargs: kw(kwargs) });
const task = (...actions: TauAction[]): TauTask => ({ userId: 'ann_1', instruction: '', actions, outputs: [] });
const plain = (db: DomainPack) => JSON.stringify(toJs(db.db));

describe('applyCall on the copy-on-write database', () => {
  it('reports each record the call changes, new ones included, and never writes the source', () => {
    const d = tinyAirline();
    const before = plain(d);
    const db = new ReplayDb(d.db);
    const r = applyCall(
      db,
      d,
      'book_reservation',
      kw({
        user_id: 'ann_1', origin: 'JFK', destination: 'SEA', flight_type: 'one_way', cabin: 'economy',
        flights: [{ flight_number: 'HAT001', date: '2024-05-21' }], passengers: [{ first_name: 'Ann', last_name: 'Lee', dob: '1990-01-01' }],
        payment_methods: [{ payment_id: 'gift_card_1', amount: 120 }], total_baggages: 0, nonfree_baggages: 0, insurance: 'no',
      }),
      airlineRecordsTouched,
    );
    expect(r.failed).toBe(false);
    expect(r.changes.map((c) => c.key).sort()).toEqual(['reservations/HATHAT', 'users/ann_1']);
    const user = r.changes.find((c) => c.key === 'users/ann_1');
    expect(toJs(user?.after ?? null)).toMatchObject({ payment_methods: { gift_card_1: { amount: 380 } }, reservations: ['RES001', 'RES002', 'HATHAT'] });
    expect(toJs(user?.before ?? null)).toMatchObject({ payment_methods: { gift_card_1: { amount: 500 } }, reservations: ['RES001', 'RES002'] });
    expect(r.changes.find((c) => c.key === 'reservations/HATHAT')?.before).toBeUndefined();
    expect(plain(d)).toBe(before);
    expect(db.table('reservations')?.size).toBe(4);
    expect(d.db.get('reservations') instanceof Map && (d.db.get('reservations') as Map<string, unknown>).size).toBe(3);
  });

  it('a fork starts at the parent’s state and leaves it alone', () => {
    const d = tinyAirline();
    const db = new ReplayDb(d.db);
    applyCall(db, d, 'update_reservation_baggages', kw({ reservation_id: 'RES002', total_baggages: 2, nonfree_baggages: 0, payment_id: 'credit_card_1' }), airlineRecordsTouched);
    const fork = db.fork();
    const r = applyCall(fork, d, 'cancel_reservation', kw({ reservation_id: 'RES002' }), airlineRecordsTouched);
    expect(r.changes.map((c) => c.key)).toEqual(['reservations/RES002']);
    expect(toJs(fork.value('reservations/RES002') ?? null)).toMatchObject({ status: 'cancelled', total_baggages: 2 });
    expect(toJs(db.value('reservations/RES002') ?? null)).not.toHaveProperty('status');
    expect(toJs(db.value('reservations/RES002') ?? null)).toMatchObject({ total_baggages: 2 });
  });

  it('a call that errors fails and changes nothing', () => {
    const d = tinyAirline();
    const r = applyCall(new ReplayDb(d.db), d, 'update_reservation_flights', kw({ reservation_id: 'RES001', cabin: 'economy', flights: [{ flight_number: 'HAT009', date: '2024-05-20' }], payment_id: 'credit_card_1' }), airlineRecordsTouched);
    expect(r).toEqual({ observation: 'Error: flight HAT009 not found', failed: true, changes: [] });
    const unknown = applyCall(new ReplayDb(d.db), d, 'launch_rocket', kw({}), airlineRecordsTouched);
    expect(unknown.failed).toBe(true);
  });
});

describe('the state rule', () => {
  const d = tinyAirline();
  const cancel1 = act('cancel_reservation', { reservation_id: 'RES001' });
  const bags1 = act('update_reservation_baggages', { reservation_id: 'RES001', total_baggages: 2, nonfree_baggages: 0, payment_id: 'credit_card_1' });

  it('approves a change to gold’s final value and revises a change gold never makes', () => {
    const path = goldPath(d, task(cancel1), airlineRecordsTouched);
    expect([...path.values.keys()]).toEqual(['reservations/RES001']);
    const right = applyCall(new ReplayDb(d.db), d, 'cancel_reservation', kw({ reservation_id: 'RES001' }), airlineRecordsTouched);
    expect(judgeChanges(d, path, right.changes)).toEqual({ label: 'approve', why: "Changes reservations/RES001: on gold's path (gold's final value)." });
    const wrong = applyCall(new ReplayDb(d.db), d, 'cancel_reservation', kw({ reservation_id: 'RES002' }), airlineRecordsTouched);
    expect(judgeChanges(d, path, wrong.changes)).toEqual({ label: 'revise', why: "Changes reservations/RES002: off gold's path (gold leaves it unchanged)." });
  });

  it('approves an intermediate value of gold’s path, and revises a value between gold’s values that gold never gives', () => {
    // Gold first adds a bag, then cancels: the reservation's path is initial → 2 bags → 2 bags cancelled.
    const path = goldPath(d, task(bags1, cancel1), airlineRecordsTouched);
    expect(path.values.get('reservations/RES001')).toHaveLength(3);
    const db = new ReplayDb(d.db);
    const first = applyCall(db, d, 'update_reservation_baggages', kw({ reservation_id: 'RES001', total_baggages: 2, nonfree_baggages: 0, payment_id: 'credit_card_1' }), airlineRecordsTouched);
    expect(judgeChanges(d, path, first.changes).why).toBe("Changes reservations/RES001: on gold's path (gold's value after 1 of its changes).");
    // In the other order, the cancelled reservation with one bag is a state gold never passes through.
    const other = applyCall(new ReplayDb(d.db), d, 'cancel_reservation', kw({ reservation_id: 'RES001' }), airlineRecordsTouched);
    expect(judgeChanges(d, path, other.changes)).toEqual({ label: 'revise', why: "Changes reservations/RES001: off gold's path (gold gives it other values)." });
  });

  it('needs every changed record on the path: one off-path record makes a revise', () => {
    // Gold pays a bag with the gift card: the reservation and the user change.
    const goldBags = act('update_reservation_baggages', { reservation_id: 'RES001', total_baggages: 2, nonfree_baggages: 1, payment_id: 'gift_card_1' });
    const path = goldPath(d, task(goldBags), airlineRecordsTouched);
    expect([...path.values.keys()].sort()).toEqual(['reservations/RES001', 'users/ann_1']);
    // Paying by credit card leaves the gift card alone (users/ann_1 unchanged, so not a change) but records another payment.
    const card = applyCall(new ReplayDb(d.db), d, 'update_reservation_baggages', kw({ reservation_id: 'RES001', total_baggages: 2, nonfree_baggages: 1, payment_id: 'credit_card_1' }), airlineRecordsTouched);
    expect(card.changes.map((c) => c.key)).toEqual(['reservations/RES001']);
    expect(judgeChanges(d, path, card.changes).label).toBe('revise');
    const same = applyCall(new ReplayDb(d.db), d, 'update_reservation_baggages', kw({ reservation_id: 'RES001', total_baggages: 2, nonfree_baggages: 1, payment_id: 'gift_card_1' }), airlineRecordsTouched);
    expect(judgeChanges(d, path, same.changes)).toEqual({
      label: 'approve',
      why: "Changes reservations/RES001: on gold's path (gold's final value); users/ann_1: on gold's path (gold's final value).",
    });
  });

  it('a call that changes nothing is approved', () => {
    const path = goldPath(d, task(cancel1), airlineRecordsTouched);
    const noop = applyCall(new ReplayDb(d.db), d, 'update_reservation_baggages', kw({ reservation_id: 'RES002', total_baggages: 0, nonfree_baggages: 0, payment_id: 'credit_card_1' }), airlineRecordsTouched);
    expect(noop.changes).toEqual([]);
    expect(judgeChanges(d, path, noop.changes)).toEqual({ label: 'approve', why: 'The call changes no record.' });
  });

  it('transfers: approved when gold transfers or the database already equals gold’s final state, revised otherwise', () => {
    const withTransfer = goldPath(d, task(cancel1, act('transfer_to_human_agents', { summary: 'x' })), airlineRecordsTouched);
    expect(withTransfer.hasTransfer).toBe(true);
    expect(judgeTransfer(new ReplayDb(d.db), d, withTransfer).label).toBe('approve');

    const path = goldPath(d, task(cancel1), airlineRecordsTouched);
    const db = new ReplayDb(d.db);
    expect(judgeTransfer(db, d, path)).toEqual({
      label: 'revise',
      why: "Transfer to a human agent: gold has none, and the database still differs from gold's final state in reservations/RES001.",
    });
    applyCall(db, d, 'cancel_reservation', kw({ reservation_id: 'RES001' }), airlineRecordsTouched);
    expect(differencesFromGoldFinal(db, d, path)).toEqual([]);
    expect(judgeTransfer(db, d, path).label).toBe('approve');
    // An extra change anywhere else makes the state differ again.
    applyCall(db, d, 'send_certificate', kw({ user_id: 'cy_2', amount: 50 }), airlineRecordsTouched);
    expect(judgeTransfer(db, d, path).why).toMatch(/differs from gold's final state in users\/cy_2\.$/);
  });
});
