import { dumps, type PyValue } from '../../py.ts';
import { contains, iadd, dict, extend, getItem, iter, pyEq, pyRoundValue, setItem } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

export const cancelPendingOrder: TauTool = {
  name: 'cancel_pending_order',
  pyClass: 'CancelPendingOrder',
  pyModule: 'tau_bench.envs.retail.tools.cancel_pending_order',
  required: ['order_id', 'reason'],
  optional: [],
  invoke(data, args) {
    const orderId = arg(args, 'order_id');
    const reason = arg(args, 'reason');
    const orders = getItem(data, 'orders');
    if (!contains(orders, orderId)) return 'Error: order not found';
    const order = getItem(orders, orderId);
    if (!pyEq(getItem(order, 'status'), 'pending')) return 'Error: non-pending order cannot be cancelled';
    if (!contains(['no longer needed', 'ordered by mistake'], reason)) return 'Error: invalid reason';

    const refunds: PyValue[] = [];
    for (const payment of iter(getItem(order, 'payment_history'))) {
      const paymentId = getItem(payment, 'payment_method_id');
      refunds.push(
        dict([
          ['transaction_type', 'refund'],
          ['amount', getItem(payment, 'amount')],
          ['payment_method_id', paymentId],
        ]),
      );
      if (contains(paymentId, 'gift_card')) {
        // Refund to a gift card immediately.
        const user = getItem(getItem(data, 'users'), getItem(order, 'user_id'));
        const method = getItem(getItem(user, 'payment_methods'), paymentId);
        setItem(method, 'balance', iadd(getItem(method, 'balance'), getItem(payment, 'amount')));
        setItem(method, 'balance', pyRoundValue(getItem(method, 'balance'), 2));
      }
    }
    setItem(order, 'status', 'cancelled');
    setItem(order, 'cancel_reason', reason);
    extend(getItem(order, 'payment_history'), refunds);
    return dumps(order);
  },
};
