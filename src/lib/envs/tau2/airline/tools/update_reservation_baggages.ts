import { asList, field } from '../../pyhelp.ts';
import { pyMax, sub, mul } from '../../../tau-bench/pyops.ts';
import { arg, tool } from '../../toolkit.ts';
import { getReservation, getUser, paymentForUpdate } from '../db.ts';

export const updateReservationBaggages = tool({
  name: 'update_reservation_baggages',
  params: ['reservation_id', 'total_baggages', 'nonfree_baggages', 'payment_id'],
  required: ['reservation_id', 'total_baggages', 'nonfree_baggages', 'payment_id'],
  type: 'write',
  call(db, args) {
    const reservation = getReservation(db, arg(args, 'reservation_id'));
    const user = getUser(db, field(reservation, 'user_id'));
    const nonfree = arg(args, 'nonfree_baggages');
    const totalPrice = mul(50, pyMax(0, sub(nonfree, field(reservation, 'nonfree_baggages'))));
    const payment = paymentForUpdate(user, arg(args, 'payment_id'), totalPrice);
    if (payment !== null) asList(field(reservation, 'payment_history'), 'payment_history').push(payment);
    reservation.set('total_baggages', arg(args, 'total_baggages'));
    reservation.set('nonfree_baggages', nonfree);
    return reservation;
  },
});
