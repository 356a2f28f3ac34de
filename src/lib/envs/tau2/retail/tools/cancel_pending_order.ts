import type { PyValue } from '../../../tau-bench/py.ts';
import { iadd, pyRoundValue } from '../../../tau-bench/pyops.ts';
import { construct } from '../../model.ts';
import { asList, field } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { getOrder, getPaymentMethod, getUser, isGiftCard } from '../db.ts';
import { OrderPayment } from '../model.ts';

export const cancelPendingOrder = tool({
  name: 'cancel_pending_order',
  params: ['order_id', 'reason'],
  required: ['order_id', 'reason'],
  type: 'write',
  call(db, args) {
    const order = getOrder(db, arg(args, 'order_id'));
    const reason = arg(args, 'reason');
    if (field(order, 'status') !== 'pending') throw valueError('Non-pending order cannot be cancelled');
    if (reason !== 'no longer needed' && reason !== 'ordered by mistake') throw valueError('Invalid reason');
    const refunds: PyValue[] = [];
    const history = asList(field(order, 'payment_history'), 'payment_history');
    for (const payment of history) {
      const paymentId = field(payment, 'payment_method_id');
      refunds.push(construct('OrderPayment', OrderPayment, new Map<string, PyValue>([
        ['transaction_type', 'refund'], ['amount', field(payment, 'amount')], ['payment_method_id', paymentId],
      ])));
      const user = getUser(db, field(order, 'user_id'));
      const method = getPaymentMethod(db, field(user, 'user_id'), paymentId);
      if (isGiftCard(method)) {
        method.set('balance', iadd(field(method, 'balance'), field(payment, 'amount')));
        method.set('balance', pyRoundValue(field(method, 'balance'), 2));
      }
    }
    order.set('status', 'cancelled');
    order.set('cancel_reason', reason);
    history.push(...refunds);
    return order;
  },
});
