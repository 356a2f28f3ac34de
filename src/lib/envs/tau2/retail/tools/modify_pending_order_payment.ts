import type { PyValue } from '../../../tau-bench/py.ts';
import { iadd, isub, lt, pyEq, pyRoundValue } from '../../../tau-bench/pyops.ts';
import { construct } from '../../model.ts';
import { asList, field } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { getOrder, getPaymentMethod, isGiftCard, isPending } from '../db.ts';
import { OrderPayment } from '../model.ts';

export const modifyPendingOrderPayment = tool({
  name: 'modify_pending_order_payment',
  params: ['order_id', 'payment_method_id'],
  required: ['order_id', 'payment_method_id'],
  type: 'write',
  call(db, args) {
    const order = getOrder(db, arg(args, 'order_id'));
    const paymentMethodId = arg(args, 'payment_method_id');
    if (!isPending(order)) throw valueError('Non-pending order cannot be modified');
    const method = getPaymentMethod(db, field(order, 'user_id'), paymentMethodId);
    const history = asList(field(order, 'payment_history'), 'payment_history');
    const first = history[0];
    if (history.length !== 1 || first === undefined || field(first, 'transaction_type') !== 'payment') {
      throw valueError('There should be exactly one payment for a pending order');
    }
    const oldId = field(first, 'payment_method_id');
    if (pyEq(oldId, paymentMethodId)) throw valueError('The new payment method should be different from the current one');
    const amount = field(first, 'amount');
    if (isGiftCard(method) && lt(field(method, 'balance'), amount)) {
      throw valueError('Insufficient gift card balance to pay for the order');
    }
    const pay = (type: string, id: PyValue): PyValue =>
      construct('OrderPayment', OrderPayment, new Map<string, PyValue>([
        ['transaction_type', type], ['amount', amount], ['payment_method_id', id],
      ]));
    history.push(pay('payment', paymentMethodId), pay('refund', oldId));
    if (isGiftCard(method)) {
      method.set('balance', isub(field(method, 'balance'), amount));
      method.set('balance', pyRoundValue(field(method, 'balance'), 2));
    }
    const old = getPaymentMethod(db, field(order, 'user_id'), oldId);
    if (isGiftCard(old)) {
      old.set('balance', iadd(field(old, 'balance'), amount));
      old.set('balance', pyRoundValue(field(old, 'balance'), 2));
    }
    return order;
  },
});
