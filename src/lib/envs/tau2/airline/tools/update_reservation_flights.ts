import type { PyDict, PyValue } from '../../../tau-bench/py.ts';
import { add, len, lt, mul, pyEq, pySum, sub } from '../../../tau-bench/pyops.ts';
import { construct } from '../../model.ts';
import { asDict, asList, at, field, s } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { attr, getFlight, getFlightInstance, getReservation, getUser, modelsIfAllDicts, paymentForUpdate } from '../db.ts';
import { FlightInfo, ReservationFlight } from '../model.ts';

export const updateReservationFlights = tool({
  name: 'update_reservation_flights',
  params: ['reservation_id', 'cabin', 'flights', 'payment_id'],
  required: ['reservation_id', 'cabin', 'flights', 'payment_id'],
  type: 'write',
  call(db, args) {
    const cabin = arg(args, 'cabin');
    const flights = modelsIfAllDicts('FlightInfo', FlightInfo, arg(args, 'flights'));
    const reservation = getReservation(db, arg(args, 'reservation_id'));
    const user = getUser(db, field(reservation, 'user_id'));
    const current = asList(field(reservation, 'flights'), 'flights');
    const nPassengers = len(field(reservation, 'passengers'));
    let totalPrice: PyValue = 0;
    const newFlights: PyDict[] = [];
    for (const info of asList(flights, 'flights')) {
      const flightNumber = attr(info, 'flight_number');
      const date = attr(info, 'date');
      const match = current.find(
        (rf) => pyEq(field(rf, 'flight_number'), flightNumber) && pyEq(field(rf, 'date'), date) && pyEq(cabin, field(reservation, 'cabin')),
      );
      if (match !== undefined) {
        totalPrice = add(totalPrice, mul(field(match, 'price'), nPassengers));
        newFlights.push(asDict(match, 'ReservationFlight'));
        continue;
      }
      const flight = getFlight(db, flightNumber);
      const instance = getFlightInstance(db, flightNumber, date);
      if (field(instance, 'status') !== 'available') throw valueError(`Flight ${s(flightNumber)} not available on date ${s(date)}`);
      if (lt(at(asDict(field(instance, 'available_seats'), 'available_seats'), cabin), nPassengers)) {
        throw valueError(`Not enough seats on flight ${s(flightNumber)}`);
      }
      const rf = construct('ReservationFlight', ReservationFlight, new Map<string, PyValue>([
        ['flight_number', flightNumber],
        ['date', date],
        ['price', at(asDict(field(instance, 'prices'), 'prices'), cabin)],
        ['origin', field(flight, 'origin')],
        ['destination', field(flight, 'destination')],
      ]));
      totalPrice = add(totalPrice, mul(field(rf, 'price'), nPassengers));
      newFlights.push(rf);
    }
    totalPrice = sub(totalPrice, mul(pySum(current.map((f) => field(f, 'price'))), nPassengers));
    const payment = paymentForUpdate(user, arg(args, 'payment_id'), totalPrice);
    if (payment !== null) asList(field(reservation, 'payment_history'), 'payment_history').push(payment);
    reservation.set('flights', newFlights);
    reservation.set('cabin', cabin);
    return reservation;
  },
});
