import { dumps } from '../../py.ts';
import { append, contains, dict, getItem, isub, lt, mul, pyEq, pyMax, setItem, sub } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

export const updateReservationBaggages: TauTool = {
  name: 'update_reservation_baggages',
  pyClass: 'UpdateReservationBaggages',
  pyModule: 'tau_bench.envs.airline.tools.update_reservation_baggages',
  required: ['reservation_id', 'total_baggages', 'nonfree_baggages', 'payment_id'],
  optional: [],
  invoke(data, args) {
    const reservationId = arg(args, 'reservation_id');
    const totalBaggages = arg(args, 'total_baggages');
    const nonfreeBaggages = arg(args, 'nonfree_baggages');
    const paymentId = arg(args, 'payment_id');
    const users = getItem(data, 'users');
    const reservations = getItem(data, 'reservations');
    if (!contains(reservations, reservationId)) return 'Error: reservation not found';
    const reservation = getItem(reservations, reservationId);

    const totalPrice = mul(50, pyMax(0, sub(nonfreeBaggages, getItem(reservation, 'nonfree_baggages'))));
    const methods = getItem(getItem(users, getItem(reservation, 'user_id')), 'payment_methods');
    if (!contains(methods, paymentId)) return 'Error: payment method not found';
    const paymentMethod = getItem(methods, paymentId);
    if (pyEq(getItem(paymentMethod, 'source'), 'certificate')) {
      return 'Error: certificate cannot be used to update reservation';
    } else if (pyEq(getItem(paymentMethod, 'source'), 'gift_card') && lt(getItem(paymentMethod, 'amount'), totalPrice)) {
      return 'Error: gift card balance is not enough';
    }

    setItem(reservation, 'total_baggages', totalBaggages);
    setItem(reservation, 'nonfree_baggages', nonfreeBaggages);
    if (pyEq(getItem(paymentMethod, 'source'), 'gift_card')) {
      setItem(paymentMethod, 'amount', isub(getItem(paymentMethod, 'amount'), totalPrice));
    }
    if (!pyEq(totalPrice, 0)) {
      append(getItem(reservation, 'payment_history'), dict([['payment_id', paymentId], ['amount', totalPrice]]));
    }
    return dumps(reservation);
  },
};
