/** The payment steps the reservation-changing airline tools share, evaluated as the Python does. */
import type { PyValue } from '../../py.ts';
import { append, contains, dict, getItem, isub, lt, pyEq, setItem } from '../../pyops.ts';

/** The user's payment method that may pay `totalPrice` for a change, or the original's error. */
export function changePaymentMethod(users: PyValue, reservation: PyValue, paymentId: PyValue, totalPrice: PyValue): { method: PyValue } | { error: string } {
  const methods = getItem(getItem(users, getItem(reservation, 'user_id')), 'payment_methods');
  if (!contains(methods, paymentId)) return { error: 'Error: payment method not found' };
  const method = getItem(methods, paymentId);
  if (pyEq(getItem(method, 'source'), 'certificate')) return { error: 'Error: certificate cannot be used to update reservation' };
  if (pyEq(getItem(method, 'source'), 'gift_card') && lt(getItem(method, 'amount'), totalPrice)) {
    return { error: 'Error: gift card balance is not enough' };
  }
  return { method };
}

/** `if payment_method["source"] == "gift_card": payment_method["amount"] -= total_price` */
export function deductGiftCard(method: PyValue, totalPrice: PyValue): void {
  if (pyEq(getItem(method, 'source'), 'gift_card')) setItem(method, 'amount', isub(getItem(method, 'amount'), totalPrice));
}

/** `if total_price != 0: reservation["payment_history"].append({...})` */
export function recordPayment(reservation: PyValue, paymentId: PyValue, totalPrice: PyValue): void {
  if (!pyEq(totalPrice, 0)) {
    append(getItem(reservation, 'payment_history'), dict([['payment_id', paymentId], ['amount', totalPrice]]));
  }
}
