import { dumps, pyStr, type PyValue } from '../../py.ts';
import {
  append, contains, delItem, dict, getItem, iadd, isub, iter, len, lt, mul, pyEq, pySum, setItem,
} from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

export const bookReservation: TauTool = {
  name: 'book_reservation',
  pyClass: 'BookReservation',
  pyModule: 'tau_bench.envs.airline.tools.book_reservation',
  required: [
    'user_id', 'origin', 'destination', 'flight_type', 'cabin', 'flights', 'passengers',
    'payment_methods', 'total_baggages', 'nonfree_baggages', 'insurance',
  ],
  optional: [],
  invoke(data, args) {
    const userId = arg(args, 'user_id');
    const cabin = arg(args, 'cabin');
    const passengers = arg(args, 'passengers');
    const paymentMethods = arg(args, 'payment_methods');
    const nonfreeBaggages = arg(args, 'nonfree_baggages');
    const insurance = arg(args, 'insurance');
    const reservations = getItem(data, 'reservations');
    const users = getItem(data, 'users');
    if (!contains(users, userId)) return 'Error: user not found';
    const user = getItem(users, userId);

    // The original assumes at most 3 reservations per task.
    let reservationId = 'HATHAT';
    if (contains(reservations, reservationId)) {
      reservationId = 'HATHAU';
      if (contains(reservations, reservationId)) reservationId = 'HATHAV';
    }

    const reservation = dict([
      ['reservation_id', reservationId],
      ['user_id', userId],
      ['origin', arg(args, 'origin')],
      ['destination', arg(args, 'destination')],
      ['flight_type', arg(args, 'flight_type')],
      ['cabin', cabin],
      ['flights', arg(args, 'flights')], // deepcopy(flights): arguments are already private copies
      ['passengers', passengers],
      ['payment_history', paymentMethods],
      ['created_at', '2024-05-15T15:00:00'],
      ['total_baggages', arg(args, 'total_baggages')],
      ['nonfree_baggages', nonfreeBaggages],
      ['insurance', insurance],
    ]);

    let totalPrice: PyValue = 0;
    for (const flight of iter(getItem(reservation, 'flights'))) {
      const flightNumber = getItem(flight, 'flight_number');
      const flights = getItem(data, 'flights');
      if (!contains(flights, flightNumber)) return `Error: flight ${pyStr(flightNumber)} not found`;
      const flightData = getItem(flights, flightNumber);
      if (!contains(getItem(flightData, 'dates'), getItem(flight, 'date'))) {
        return `Error: flight ${pyStr(flightNumber)} not found on date ${pyStr(getItem(flight, 'date'))}`;
      }
      const dateData = getItem(getItem(flightData, 'dates'), getItem(flight, 'date'));
      if (!pyEq(getItem(dateData, 'status'), 'available')) {
        return `Error: flight ${pyStr(flightNumber)} not available on date ${pyStr(getItem(flight, 'date'))}`;
      }
      if (lt(getItem(getItem(dateData, 'available_seats'), cabin), len(passengers))) {
        return `Error: not enough seats on flight ${pyStr(flightNumber)}`;
      }
      setItem(flight, 'price', getItem(getItem(dateData, 'prices'), cabin));
      setItem(flight, 'origin', getItem(flightData, 'origin'));
      setItem(flight, 'destination', getItem(flightData, 'destination'));
      totalPrice = iadd(totalPrice, mul(getItem(flight, 'price'), len(passengers)));
    }

    if (pyEq(insurance, 'yes')) totalPrice = iadd(totalPrice, mul(30, len(passengers)));
    totalPrice = iadd(totalPrice, mul(50, nonfreeBaggages));

    const methods = (): PyValue => getItem(user, 'payment_methods');
    for (const paymentMethod of iter(paymentMethods)) {
      const paymentId = getItem(paymentMethod, 'payment_id');
      const amount = getItem(paymentMethod, 'amount');
      if (!contains(methods(), paymentId)) return `Error: payment method ${pyStr(paymentId)} not found`;
      if (contains(['gift_card', 'certificate'], getItem(getItem(methods(), paymentId), 'source'))) {
        if (lt(getItem(getItem(methods(), paymentId), 'amount'), amount)) {
          return `Error: not enough balance in payment method ${pyStr(paymentId)}`;
        }
      }
    }
    const paid = (): PyValue => pySum(iter(paymentMethods).map((p) => getItem(p, 'amount')));
    if (!pyEq(paid(), totalPrice)) {
      return `Error: payment amount does not add up, total price is ${pyStr(totalPrice)}, but paid ${pyStr(paid())}`;
    }

    // Checks passed: deduct payment.
    for (const paymentMethod of iter(paymentMethods)) {
      const paymentId = getItem(paymentMethod, 'payment_id');
      const amount = getItem(paymentMethod, 'amount');
      const method = getItem(methods(), paymentId);
      const source = getItem(method, 'source');
      if (pyEq(source, 'gift_card')) setItem(method, 'amount', isub(getItem(method, 'amount'), amount));
      else if (pyEq(source, 'certificate')) delItem(methods(), pyStr(paymentId));
    }

    setItem(reservations, reservationId, reservation);
    append(getItem(user, 'reservations'), reservationId);
    return dumps(reservation);
  },
};
