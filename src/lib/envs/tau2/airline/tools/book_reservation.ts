import { deepCopy, type PyDict, type PyValue } from '../../../tau-bench/py.ts';
import { add, isub, len, lt, mul, pyEq, pySum } from '../../../tau-bench/pyops.ts';
import { construct } from '../../model.ts';
import { asDict, asList, at, field, has, s } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { attr, getFlight, getFlightInstance, getUser, modelsIfAllDicts, newReservationId, NOW } from '../db.ts';
import { FlightInfo, Passenger, Payment, Reservation, ReservationFlight } from '../model.ts';

export const bookReservation = tool({
  name: 'book_reservation',
  params: ['user_id', 'origin', 'destination', 'flight_type', 'cabin', 'flights', 'passengers', 'payment_methods', 'total_baggages', 'nonfree_baggages', 'insurance'],
  required: ['user_id', 'origin', 'destination', 'flight_type', 'cabin', 'flights', 'passengers', 'payment_methods', 'total_baggages', 'nonfree_baggages', 'insurance'],
  type: 'write',
  call(db, args) {
    const userId = arg(args, 'user_id');
    const cabin = arg(args, 'cabin');
    const insurance = arg(args, 'insurance');
    const nonfree = arg(args, 'nonfree_baggages');
    const flights = modelsIfAllDicts('FlightInfo', FlightInfo, arg(args, 'flights'));
    const passengers = modelsIfAllDicts('Passenger', Passenger, arg(args, 'passengers'));
    const payments = modelsIfAllDicts('Payment', Payment, arg(args, 'payment_methods'));
    const user = getUser(db, userId);
    const reservationId = newReservationId(db);
    const reservation = construct('Reservation', Reservation, new Map<string, PyValue>([
      ['reservation_id', reservationId],
      ['user_id', userId],
      ['origin', arg(args, 'origin')],
      ['destination', arg(args, 'destination')],
      ['flight_type', arg(args, 'flight_type')],
      ['cabin', cabin],
      ['flights', []],
      ['passengers', deepCopy(passengers)],
      ['payment_history', deepCopy(payments)],
      ['created_at', NOW],
      ['total_baggages', arg(args, 'total_baggages')],
      ['nonfree_baggages', nonfree],
      ['insurance', insurance],
    ]));
    const nPassengers = len(passengers);
    let totalPrice: PyValue = 0;
    const dateData: PyDict[] = [];
    const resFlights = asList(field(reservation, 'flights'), 'flights');
    for (const info of asList(flights, 'flights')) {
      const flightNumber = attr(info, 'flight_number');
      const date = attr(info, 'date');
      const flight = getFlight(db, flightNumber);
      const instance = getFlightInstance(db, flightNumber, date);
      if (field(instance, 'status') !== 'available') throw valueError(`Flight ${s(flightNumber)} not available on date ${s(date)}`);
      const seats = asDict(field(instance, 'available_seats'), 'available_seats');
      if (lt(at(seats, cabin), nPassengers)) throw valueError(`Not enough seats on flight ${s(flightNumber)}`);
      const price = at(asDict(field(instance, 'prices'), 'prices'), cabin);
      resFlights.push(construct('ReservationFlight', ReservationFlight, new Map<string, PyValue>([
        ['origin', field(flight, 'origin')],
        ['destination', field(flight, 'destination')],
        ['flight_number', flightNumber],
        ['date', date],
        ['price', price],
      ])));
      dateData.push(instance);
      totalPrice = add(totalPrice, mul(price, nPassengers));
    }
    if (insurance === 'yes') totalPrice = add(totalPrice, 30 * nPassengers);
    totalPrice = add(totalPrice, mul(50, nonfree));
    const methods = asDict(field(user, 'payment_methods'), 'payment_methods');
    for (const p of asList(payments, 'payment_methods')) {
      const paymentId = attr(p, 'payment_id');
      const amount = attr(p, 'amount');
      if (!has(methods, paymentId)) throw valueError(`Payment method ${s(paymentId)} not found`);
      const m = asDict(at(methods, paymentId), 'PaymentMethod');
      const source = field(m, 'source');
      if ((source === 'gift_card' || source === 'certificate') && lt(field(m, 'amount'), amount)) {
        throw valueError(`Not enough balance in payment method ${s(paymentId)}`);
      }
    }
    const totalPayment = pySum(asList(payments, 'payment_methods').map((p) => attr(p, 'amount')));
    if (!pyEq(totalPayment, totalPrice)) {
      throw valueError(`Payment amount does not add up, total price is ${s(totalPrice)}, but paid ${s(totalPayment)}`);
    }
    for (const p of asList(payments, 'payment_methods')) {
      const paymentId = attr(p, 'payment_id');
      const m = asDict(at(methods, paymentId), 'PaymentMethod');
      const source = field(m, 'source');
      if (source === 'gift_card') m.set('amount', isub(field(m, 'amount'), attr(p, 'amount')));
      else if (source === 'certificate' && typeof paymentId === 'string') methods.delete(paymentId);
    }
    for (const instance of dateData) {
      const seats = asDict(field(instance, 'available_seats'), 'available_seats');
      if (typeof cabin === 'string') seats.set(cabin, isub(at(seats, cabin), nPassengers));
    }
    asDict(at(db, 'reservations'), 'reservations').set(reservationId, reservation);
    asList(field(user, 'reservations'), 'reservations').push(reservationId);
    return reservation;
  },
});
