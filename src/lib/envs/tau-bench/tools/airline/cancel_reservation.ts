import { dumps, type PyValue } from '../../py.ts';
import { contains, dict, extend, getItem, iter, neg, setItem } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

export const cancelReservation: TauTool = {
  name: 'cancel_reservation',
  pyClass: 'CancelReservation',
  pyModule: 'tau_bench.envs.airline.tools.cancel_reservation',
  required: ['reservation_id'],
  optional: [],
  invoke(data, args) {
    const reservationId = arg(args, 'reservation_id');
    const reservations = getItem(data, 'reservations');
    if (!contains(reservations, reservationId)) return 'Error: reservation not found';
    const reservation = getItem(reservations, reservationId);

    // Reverse every payment; the original does not check whether it was already cancelled.
    const refunds: PyValue[] = [];
    for (const payment of iter(getItem(reservation, 'payment_history'))) {
      refunds.push(
        dict([
          ['payment_id', getItem(payment, 'payment_id')],
          ['amount', neg(getItem(payment, 'amount'))],
        ]),
      );
    }
    extend(getItem(reservation, 'payment_history'), refunds);
    setItem(reservation, 'status', 'cancelled');
    return dumps(reservation);
  },
};
