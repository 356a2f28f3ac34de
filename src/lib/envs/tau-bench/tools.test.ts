import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshDb, stepAction } from './env.ts';
import { loadTauPack, type DomainPack, type TauPack } from './pack.ts';
import { nodePackSource } from './pack-node.ts';
import { isDict, parseJson, type PyDict } from './py.ts';

const DIR = path.resolve(process.cwd(), '..', 'shared', 'tau-bench');

let pack: TauPack;
beforeAll(async () => {
  pack = await loadTauPack(nodePackSource(DIR));
});

/**
 * Runs `[name, kwargsJson]` steps on a fresh database, as the original's
 * Env.step would; kwargs are parsed as Python's json.loads parses a tool call.
 */
function run(domain: 'retail' | 'airline', steps: Array<[string, string]>): string[] {
  const d: DomainPack | undefined = pack.domains[domain];
  if (!d) throw new Error('pack not loaded');
  const db = freshDb(d);
  return steps.map(([name, json]) => {
    const kwargs = parseJson(json);
    return stepAction(d, db, { name, kwargs: isDict(kwargs) ? kwargs : (new Map() as PyDict) }) ?? 'respond';
  });
}

// Expected strings are derived from the original Python tools (tau-bench 59a200c)
// and base.py's `f"Error: {e}"`; they were also checked against it on CPython 3.11.
describe('argument binding: the TypeError texts CPython gives', () => {
  it('missing, unexpected and duplicate arguments, before any data is touched', () => {
    expect(
      run('retail', [
        ['cancel_pending_order', '{"order_id": "#W6779827"}'],
        ['get_order_details', '{"id": "#W6779827"}'],
        ['cancel_pending_order', '{"order_id": "x", "reason": "y", "z": 1}'],
        ['exchange_delivered_order_items', '{"order_id": "#W2378156"}'],
        ['modify_user_address', '{}'],
        ['calculate', '{"expression": "1", "data": 2}'],
        ['get_order_details', '{"order_id": "#W6779827"}'],
      ]).slice(0, 6),
    ).toEqual([
      "Error: CancelPendingOrder.invoke() missing 1 required positional argument: 'reason'",
      "Error: GetOrderDetails.invoke() got an unexpected keyword argument 'id'",
      "Error: CancelPendingOrder.invoke() got an unexpected keyword argument 'z'",
      "Error: ExchangeDeliveredOrderItems.invoke() missing 3 required positional arguments: 'item_ids', 'new_item_ids', and 'payment_method_id'",
      "Error: ModifyUserAddress.invoke() missing 7 required positional arguments: 'user_id', 'address1', 'address2', 'city', 'state', 'country', and 'zip'",
      "Error: tau_bench.envs.retail.tools.calculate.Calculate.invoke() got multiple values for keyword argument 'data'",
    ]);
  });

  it('two missing arguments are joined with "and"', () => {
    expect(run('airline', [['update_reservation_passengers', '{}']])).toEqual([
      "Error: UpdateReservationPassengers.invoke() missing 2 required positional arguments: 'reservation_id' and 'passengers'",
    ]);
  });
});

describe('retail observations', () => {
  it('refuses unknown ids, wrong states, bad reasons and foreign payment methods', () => {
    expect(
      run('retail', [
        ['cancel_pending_order', '{"order_id": "#W0000000", "reason": "no longer needed"}'],
        ['cancel_pending_order', '{"order_id": "#W2378156", "reason": "no longer needed"}'],
        ['cancel_pending_order', '{"order_id": "#W6779827", "reason": "changed my mind"}'],
        ['get_order_details', '{"order_id": "#W9999999"}'],
        ['find_user_id_by_email', '{"email": "nobody@example.com"}'],
        ['return_delivered_order_items', '{"order_id": "#W2378156", "item_ids": ["4983901480"], "payment_method_id": "paypal_0000000"}'],
        ['modify_pending_order_payment', '{"order_id": "#W6779827", "payment_method_id": "gift_card_7219486"}'],
        ['exchange_delivered_order_items', '{"order_id": "#W2378156", "item_ids": ["1151293680", "1151293680"], "new_item_ids": ["1", "2"], "payment_method_id": "credit_card_9513926"}'],
        ['exchange_delivered_order_items', '{"order_id": "#W2378156", "item_ids": ["1151293680"], "new_item_ids": ["0000000000"], "payment_method_id": "credit_card_9513926"}'],
        ['frobnicate', '{}'],
        ['think', '{"thought": "hm"}'],
        ['calculate', '{"expression": "2 ** 10 // 3"}'],
      ]),
    ).toEqual([
      'Error: order not found',
      'Error: non-pending order cannot be cancelled',
      'Error: invalid reason',
      'Error: order not found',
      'Error: user not found',
      'Error: payment method not found',
      'Error: the new payment method should be different from the current one',
      'Error: 1151293680 not found',
      'Error: new item 0000000000 not found or available',
      'Unknown action frobnicate',
      '',
      '341.0',
    ]);
  });

  it('malformed arguments raise as Python would', () => {
    expect(
      run('retail', [
        ['get_user_details', '{"user_id": ["yusuf_rossi_9620"]}'],
        ['get_order_details', '{"order_id": 5}'],
        ['find_user_id_by_email', '{"email": 5}'],
        ['return_delivered_order_items', '{"order_id": "#W2378156", "item_ids": 7, "payment_method_id": "credit_card_9513926"}'],
      ]),
    ).toEqual([
      "Error: unhashable type: 'list'",
      'Error: order not found',
      "Error: 'int' object has no attribute 'lower'",
      "Error: 'int' object is not iterable",
    ]);
  });

  it('cancelling a gift-card order refunds at once (49 + 4079.45 rounded) and only once', () => {
    const [first, second, user] = run('retail', [
      ['cancel_pending_order', '{"order_id": "#W6779827", "reason": "no longer needed"}'],
      ['cancel_pending_order', '{"order_id": "#W6779827", "reason": "no longer needed"}'],
      ['get_user_details', '{"user_id": "ethan_lopez_6291"}'],
    ]);
    expect(first).toContain('"status": "cancelled"');
    expect(first).toContain(
      '"payment_history": [{"transaction_type": "payment", "amount": 4079.45, "payment_method_id": "gift_card_7219486"}, {"transaction_type": "refund", "amount": 4079.45, "payment_method_id": "gift_card_7219486"}]',
    );
    expect(first?.endsWith(', "cancel_reason": "no longer needed"}')).toBe(true);
    expect(second).toBe('Error: non-pending order cannot be cancelled');
    expect(user).toContain('"gift_card_7219486": {"source": "gift_card", "balance": 4128.45, "id": "gift_card_7219486"}');
  });
});

describe('airline observations', () => {
  it('lists airports in the original order', () => {
    expect(run('airline', [['list_all_airports', '{}']])[0]).toBe(
      '{"SFO": "San Francisco", "JFK": "New York", "LAX": "Los Angeles", "ORD": "Chicago", "DFW": "Dallas", "DEN": "Denver", "SEA": "Seattle", "ATL": "Atlanta", "MIA": "Miami", "BOS": "Boston", "PHX": "Phoenix", "IAH": "Houston", "LAS": "Las Vegas", "MCO": "Orlando", "EWR": "Newark", "CLT": "Charlotte", "MSP": "Minneapolis", "DTW": "Detroit", "PHL": "Philadelphia", "LGA": "LaGuardia"}',
    );
  });

  it('cancels an already-cancelled reservation again (the original does not check), negating every entry', () => {
    const [, second] = run('airline', [
      ['cancel_reservation', '{"reservation_id": "4WQ150"}'],
      ['cancel_reservation', '{"reservation_id": "4WQ150"}'],
    ]);
    expect(second).toContain(
      '"payment_history": [{"payment_id": "gift_card_3576581", "amount": 4986}, {"payment_id": "gift_card_3576581", "amount": -4986}, {"payment_id": "gift_card_3576581", "amount": -4986}, {"payment_id": "gift_card_3576581", "amount": 4986}]',
    );
    expect(second?.endsWith('"status": "cancelled"}')).toBe(true);
  });

  it('refuses certificates for baggage, charges a gift card 50 per new bag', () => {
    const [cert, bags, user] = run('airline', [
      ['update_reservation_baggages', '{"reservation_id": "4WQ150", "total_baggages": 2, "nonfree_baggages": 2, "payment_id": "certificate_0000000"}'],
      ['update_reservation_baggages', '{"reservation_id": "4WQ150", "total_baggages": 2, "nonfree_baggages": 2, "payment_id": "gift_card_3576581"}'],
      ['get_user_details', '{"user_id": "chen_jackson_3290"}'],
    ]);
    expect(cert).toBe('Error: payment method not found');
    expect(bags).toContain('"payment_history": [{"payment_id": "gift_card_3576581", "amount": 4986}, {"payment_id": "gift_card_3576581", "amount": 100}]');
    expect(user).toContain('"gift_card_3576581": {"source": "gift_card", "amount": 145, "id": "gift_card_3576581"}');
  });

  it('refuses a certificate or a short gift card for a change, before touching the reservation', () => {
    const flights = '[{"flight_number": "HAT131", "date": "2024-05-23"}, {"flight_number": "HAT175", "date": "2024-05-30"}]';
    const [certBags, shortCard, certFlights, after, user] = run('airline', [
      ['update_reservation_baggages', '{"reservation_id": "UUN48W", "total_baggages": 2, "nonfree_baggages": 2, "payment_id": "certificate_9380982"}'],
      // Two new bags cost 100; the card holds 67.
      ['update_reservation_baggages', '{"reservation_id": "UUN48W", "total_baggages": 2, "nonfree_baggages": 2, "payment_id": "gift_card_5634230"}'],
      ['update_reservation_flights', `{"reservation_id": "UUN48W", "cabin": "business", "flights": ${flights}, "payment_id": "certificate_9380982"}`],
      ['get_reservation_details', '{"reservation_id": "UUN48W"}'],
      ['get_user_details', '{"user_id": "james_taylor_7043"}'],
    ]);
    expect(certBags).toBe('Error: certificate cannot be used to update reservation');
    expect(shortCard).toBe('Error: gift card balance is not enough');
    expect(certFlights).toBe('Error: certificate cannot be used to update reservation');
    expect(after).toContain('"nonfree_baggages": 0');
    expect(user).toContain('"gift_card_5634230": {"source": "gift_card", "amount": 67');
  });

  it('reports missing fields as KeyError reprs, unknown reservations with the original wording', () => {
    expect(
      run('airline', [
        ['book_reservation', '{"user_id": "chen_jackson_3290", "origin": "JFK", "destination": "SEA", "flight_type": "one_way", "cabin": "economy", "flights": [{"flight_number": "HAT136"}], "passengers": [], "payment_methods": [], "total_baggages": 0, "nonfree_baggages": 0, "insurance": "no"}'],
        ['book_reservation', '{"user_id": "chen_jackson_3290", "origin": "JFK", "destination": "SEA", "flight_type": "one_way", "cabin": "first", "flights": [{"flight_number": "HAT136", "date": "2024-05-20"}], "passengers": [], "payment_methods": [], "total_baggages": 0, "nonfree_baggages": 0, "insurance": "no"}'],
        ['book_reservation', '{"user_id": "nobody", "origin": "JFK", "destination": "SEA", "flight_type": "one_way", "cabin": "economy", "flights": [], "passengers": [], "payment_methods": [], "total_baggages": 0, "nonfree_baggages": 0, "insurance": "no"}'],
        ['get_reservation_details', '{"reservation_id": "ZZZZZZ"}'],
        ['update_reservation_passengers', '{"reservation_id": "4WQ150", "passengers": []}'],
      ]),
    ).toEqual([
      "Error: 'date'",
      "Error: 'first'",
      'Error: user not found',
      'Error: user not found',
      'Error: number of passengers does not match',
    ]);
  });

  it('keeps a float amount a float in the certificate text', () => {
    expect(
      run('airline', [
        ['send_certificate', '{"user_id": "chen_jackson_3290", "amount": 100.0}'],
        ['send_certificate', '{"user_id": "chen_jackson_3290", "amount": 50}'],
      ]),
    ).toEqual([
      'Certificate certificate_3221322 added to user chen_jackson_3290 with amount 100.0.',
      'Certificate certificate_3221323 added to user chen_jackson_3290 with amount 50.',
    ]);
  });

  it('prints the payment mismatch with Python numbers', () => {
    const [obs] = run('airline', [
      ['book_reservation', '{"user_id": "mia_li_3668", "origin": "JFK", "destination": "SEA", "flight_type": "one_way", "cabin": "economy", "flights": [{"flight_number": "HAT136", "date": "2024-05-20"}, {"flight_number": "HAT039", "date": "2024-05-20"}], "passengers": [{"first_name": "Mia", "last_name": "Li", "dob": "1990-04-05"}], "payment_methods": [{"payment_id": "credit_card_4421486", "amount": 5.5}], "total_baggages": 3, "nonfree_baggages": 0, "insurance": "yes"}'],
    ]);
    expect(obs).toBe('Error: payment amount does not add up, total price is 285, but paid 5.5');
  });
});
