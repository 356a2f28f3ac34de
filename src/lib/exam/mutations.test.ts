import { describe, expect, it } from 'vitest';
import { tinyAirline } from '../../../tests/fixtures/tiny-airline.ts';
import { fromJs, isDict, type PyDict } from '../envs/tau-bench/py.ts';
import { mutationsOf, type MutationContext } from './mutations.ts';
import { airlineRecordsTouched, applyCall, ReplayDb } from './state-rule.ts';

const d = tinyAirline();
const kw = (o: Record<string, unknown>): PyDict => {
  const v = fromJs(o);
  if (!isDict(v)) throw new Error('kwargs');
  return v;
};
const ctx = (name: string, args: Record<string, unknown>, id = 'item/1', seed = 's'): MutationContext => ({ id, seed, name, args, db: new ReplayDb(d.db) });
const booking = {
  user_id: 'ann_1',
  origin: 'JFK',
  destination: 'SEA',
  flight_type: 'one_way',
  cabin: 'economy',
  flights: [{ flight_number: 'HAT001', date: '2024-05-20' }],
  passengers: [{ first_name: 'Ann', last_name: 'Lee', dob: '1990-01-01' }],
  payment_methods: [{ payment_id: 'gift_card_1', amount: 100 }],
  total_baggages: 0,
  nonfree_baggages: 0,
  insurance: 'no',
};

describe('mutationsOf', () => {
  it('a booking: every kind that applies, each changing one thing, its payment moved by the price difference', () => {
    const ms = mutationsOf(ctx('book_reservation', booking));
    expect(ms.map((m) => [m.kind, m.change])).toEqual([
      ['payment-method', 'payment_methods[0].payment_id gift_card_1 -> credit_card_1'],
      ['other-flight-date', 'flights[0] HAT001 on 2024-05-20 -> on 2024-05-21'],
      ['other-passenger', 'passengers[0] Ann Lee -> Bo Lee (1992-02-02)'],
      ['wrong-cabin', expect.stringMatching(/^cabin economy -> (basic_economy|business)$/)],
      ['passenger-count', 'passengers 1 -> 2 (adds Bo Lee)'],
      ['bag-count', 'total_baggages 0 -> 1, nonfree_baggages 0 -> 1'],
      ['other-flight', 'flights[0] HAT001 -> HAT003 on 2024-05-20'],
    ]);
    const byKind = new Map(ms.map((m) => [m.kind, m]));
    expect(byKind.get('other-flight-date')?.args.payment_methods).toEqual([{ payment_id: 'gift_card_1', amount: 120 }]);
    expect(byKind.get('passenger-count')?.args.payment_methods).toEqual([{ payment_id: 'gift_card_1', amount: 200 }]);
    expect(byKind.get('bag-count')?.args.payment_methods).toEqual([{ payment_id: 'gift_card_1', amount: 150 }]);
    // Each mutated booking still adds up: the tool accepts it.
    for (const m of ms) {
      const r = applyCall(new ReplayDb(d.db), d, m.name, kw(m.args), airlineRecordsTouched);
      expect([m.kind, r.failed, r.observation.slice(0, 40)]).toEqual([m.kind, false, expect.stringContaining('"reservation_id": "HATHAT"')]);
    }
  });

  it('a change of an existing reservation: another reservation of the owner, another payment, a cancel', () => {
    const ms = mutationsOf(ctx('update_reservation_baggages', { reservation_id: 'RES001', total_baggages: 2, nonfree_baggages: 0, payment_id: 'credit_card_1' }));
    expect(ms.map((m) => [m.kind, m.name, m.change])).toEqual([
      ['payment-method', 'update_reservation_baggages', 'payment_id credit_card_1 -> gift_card_1'],
      ['other-reservation', 'update_reservation_baggages', 'reservation_id RES001 -> RES002'],
      ['bag-count', 'update_reservation_baggages', 'total_baggages 2 -> 3, nonfree_baggages 0 -> 1'],
      ['cancel-instead-of-modify', 'cancel_reservation', 'update_reservation_baggages -> cancel_reservation(RES001)'],
    ]);
    expect(ms[3]?.args).toEqual({ reservation_id: 'RES001' });
    expect(mutationsOf(ctx('cancel_reservation', { reservation_id: 'RES003' }))).toEqual([]); // cy_2 has one reservation only
    expect(mutationsOf(ctx('cancel_reservation', { reservation_id: 'RES002' })).map((m) => m.change)).toEqual(['reservation_id RES002 -> RES001']);
    expect(mutationsOf(ctx('transfer_to_human_agents', { summary: 'x' }))).toEqual([]);
  });

  it('is deterministic for a seed; other seeds or items choose other values', () => {
    const cabins = (seed: string) => Array.from({ length: 12 }, (_, i) => mutationsOf(ctx('book_reservation', booking, `item/${i}`, seed)).find((m) => m.kind === 'wrong-cabin')?.args.cabin);
    expect(cabins('a')).toEqual(cabins('a'));
    expect(new Set(cabins('a'))).toEqual(new Set(['basic_economy', 'business']));
    expect(cabins('a')).not.toEqual(cabins('b'));
  });
});
