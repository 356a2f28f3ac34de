import { dumps } from '../../py.ts';
import { contains, dict, extend, getItem, gt, iadd, isub, len, lt, pyEq, pyRoundValue, setItem } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

export const modifyPendingOrderPayment: TauTool = {
  name: 'modify_pending_order_payment',
  pyClass: 'ModifyPendingOrderPayment',
  pyModule: 'tau_bench.envs.retail.tools.modify_pending_order_payment',
  required: ['order_id', 'payment_method_id'],
  optional: [],
  invoke(data, args) {
    const orderId = arg(args, 'order_id');
    const paymentMethodId = arg(args, 'payment_method_id');
    const orders = getItem(data, 'orders');
    if (!contains(orders, orderId)) return 'Error: order not found';
    const order = getItem(orders, orderId);
    if (!pyEq(getItem(order, 'status'), 'pending')) return 'Error: non-pending order cannot be modified';

    const methods = getItem(getItem(getItem(data, 'users'), getItem(order, 'user_id')), 'payment_methods');
    if (!contains(methods, paymentMethodId)) return 'Error: payment method not found';

    const history = getItem(order, 'payment_history');
    if (gt(len(history), 1) || !pyEq(getItem(getItem(history, 0), 'transaction_type'), 'payment')) {
      return 'Error: there should be exactly one payment for a pending order';
    }
    const first = getItem(history, 0);
    if (pyEq(getItem(first, 'payment_method_id'), paymentMethodId)) {
      return 'Error: the new payment method should be different from the current one';
    }
    const amount = getItem(first, 'amount');
    const paymentMethod = getItem(methods, paymentMethodId);
    if (pyEq(getItem(paymentMethod, 'source'), 'gift_card') && lt(getItem(paymentMethod, 'balance'), amount)) {
      return 'Error: insufficient gift card balance to pay for the order';
    }

    extend(history, [
      dict([
        ['transaction_type', 'payment'],
        ['amount', amount],
        ['payment_method_id', paymentMethodId],
      ]),
      dict([
        ['transaction_type', 'refund'],
        ['amount', amount],
        ['payment_method_id', getItem(first, 'payment_method_id')],
      ]),
    ]);
    if (pyEq(getItem(paymentMethod, 'source'), 'gift_card')) {
      setItem(paymentMethod, 'balance', isub(getItem(paymentMethod, 'balance'), amount));
      setItem(paymentMethod, 'balance', pyRoundValue(getItem(paymentMethod, 'balance'), 2));
    }
    const oldId = getItem(getItem(history, 0), 'payment_method_id');
    if (contains(oldId, 'gift_card')) {
      const old = getItem(methods, oldId);
      setItem(old, 'balance', iadd(getItem(old, 'balance'), amount));
      setItem(old, 'balance', pyRoundValue(getItem(old, 'balance'), 2));
    }
    return dumps(order);
  },
};
