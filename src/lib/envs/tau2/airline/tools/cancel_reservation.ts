import type { PyValue } from '../../../tau-bench/py.ts';
import { neg } from '../../../tau-bench/pyops.ts';
import { construct } from '../../model.ts';
import { asList, field } from '../../pyhelp.ts';
import { arg, tool } from '../../toolkit.ts';
import { getReservation } from '../db.ts';
import { Payment } from '../model.ts';

export const cancelReservation = tool({
  name: 'cancel_reservation',
  params: ['reservation_id'],
  required: ['reservation_id'],
  type: 'write',
  call(db, args) {
    const reservation = getReservation(db, arg(args, 'reservation_id'));
    const history = asList(field(reservation, 'payment_history'), 'payment_history');
    const refunds = history.map((p) =>
      construct('Payment', Payment, new Map<string, PyValue>([
        ['payment_id', field(p, 'payment_id')],
        ['amount', neg(field(p, 'amount'))],
      ])),
    );
    history.push(...refunds);
    reservation.set('status', 'cancelled');
    return reservation;
  },
});
