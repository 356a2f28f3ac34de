import { dumps, pyStr, type PyValue } from '../../py.ts';
import {
  contains, getItem, iadd, isub, iter, len, lt, mul, pyEq, pySum, setItem,
} from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';
import { changePaymentMethod, deductGiftCard, recordPayment } from './payment.ts';

export const updateReservationFlights: TauTool = {
  name: 'update_reservation_flights',
  pyClass: 'UpdateReservationFlights',
  pyModule: 'tau_bench.envs.airline.tools.update_reservation_flights',
  required: ['reservation_id', 'cabin', 'flights', 'payment_id'],
  optional: [],
  invoke(data, args) {
    const reservationId = arg(args, 'reservation_id');
    const cabin = arg(args, 'cabin');
    const flights = arg(args, 'flights'); // deepcopy(flights): arguments are already private copies
    const paymentId = arg(args, 'payment_id');
    const users = getItem(data, 'users');
    const reservations = getItem(data, 'reservations');
    if (!contains(reservations, reservationId)) return 'Error: reservation not found';
    const reservation = getItem(reservations, reservationId);
    const passengerCount = (): number => len(getItem(reservation, 'passengers'));

    let totalPrice: PyValue = 0;
    for (const flight of iter(flights)) {
      // An existing flight keeps its price.
      const same = iter(getItem(reservation, 'flights')).filter(
        (f) =>
          pyEq(getItem(f, 'flight_number'), getItem(flight, 'flight_number')) &&
          pyEq(getItem(f, 'date'), getItem(flight, 'date')) &&
          pyEq(cabin, getItem(reservation, 'cabin')),
      );
      const existing = same[0];
      if (existing !== undefined) {
        totalPrice = iadd(totalPrice, mul(getItem(existing, 'price'), passengerCount()));
        setItem(flight, 'price', getItem(existing, 'price'));
        setItem(flight, 'origin', getItem(existing, 'origin'));
        setItem(flight, 'destination', getItem(existing, 'destination'));
        continue;
      }
      const flightNumber = getItem(flight, 'flight_number');
      const allFlights = getItem(data, 'flights');
      if (!contains(allFlights, flightNumber)) return `Error: flight ${pyStr(flightNumber)} not found`;
      const flightData = getItem(allFlights, flightNumber);
      if (!contains(getItem(flightData, 'dates'), getItem(flight, 'date'))) {
        return `Error: flight ${pyStr(flightNumber)} not found on date ${pyStr(getItem(flight, 'date'))}`;
      }
      const dateData = getItem(getItem(flightData, 'dates'), getItem(flight, 'date'));
      if (!pyEq(getItem(dateData, 'status'), 'available')) {
        return `Error: flight ${pyStr(flightNumber)} not available on date ${pyStr(getItem(flight, 'date'))}`;
      }
      if (lt(getItem(getItem(dateData, 'available_seats'), cabin), passengerCount())) {
        return `Error: not enough seats on flight ${pyStr(flightNumber)}`;
      }
      setItem(flight, 'price', getItem(getItem(dateData, 'prices'), cabin));
      setItem(flight, 'origin', getItem(flightData, 'origin'));
      setItem(flight, 'destination', getItem(flightData, 'destination'));
      totalPrice = iadd(totalPrice, mul(getItem(flight, 'price'), passengerCount()));
    }

    const oldTotal = pySum(iter(getItem(reservation, 'flights')).map((f) => getItem(f, 'price')));
    totalPrice = isub(totalPrice, mul(oldTotal, passengerCount()));

    const paying = changePaymentMethod(users, reservation, paymentId, totalPrice);
    if ('error' in paying) return paying.error;

    deductGiftCard(paying.method, totalPrice);
    setItem(reservation, 'flights', flights);
    recordPayment(reservation, paymentId, totalPrice);
    // The original leaves the flight database unchanged here.
    return dumps(reservation);
  },
};
