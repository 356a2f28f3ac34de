import { dumps } from '../../py.ts';
import { contains, getItem, mul, pyMax, setItem, sub } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';
import { changePaymentMethod, deductGiftCard, recordPayment } from './payment.ts';

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
    const paying = changePaymentMethod(users, reservation, paymentId, totalPrice);
    if ('error' in paying) return paying.error;

    setItem(reservation, 'total_baggages', totalBaggages);
    setItem(reservation, 'nonfree_baggages', nonfreeBaggages);
    deductGiftCard(paying.method, totalPrice);
    recordPayment(reservation, paymentId, totalPrice);
    return dumps(reservation);
  },
};
