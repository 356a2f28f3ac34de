import { dumps } from '../../py.ts';
import { contains, getItem, pyEq, setItem, sorted } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';
import { itemIds, missingItem } from './items.ts';

export const returnDeliveredOrderItems: TauTool = {
  name: 'return_delivered_order_items',
  pyClass: 'ReturnDeliveredOrderItems',
  pyModule: 'tau_bench.envs.retail.tools.return_delivered_order_items',
  required: ['order_id', 'item_ids', 'payment_method_id'],
  optional: [],
  invoke(data, args) {
    const orderId = arg(args, 'order_id');
    const itemIdsArg = arg(args, 'item_ids');
    const paymentMethodId = arg(args, 'payment_method_id');
    const orders = getItem(data, 'orders');
    if (!contains(orders, orderId)) return 'Error: order not found';
    const order = getItem(orders, orderId);
    if (!pyEq(getItem(order, 'status'), 'delivered')) return 'Error: non-delivered order cannot be returned';

    const methods = getItem(getItem(getItem(data, 'users'), getItem(order, 'user_id')), 'payment_methods');
    if (!contains(methods, paymentMethodId)) return 'Error: payment method not found';
    if (
      !contains(paymentMethodId, 'gift_card') &&
      !pyEq(paymentMethodId, getItem(getItem(getItem(order, 'payment_history'), 0), 'payment_method_id'))
    ) {
      return 'Error: payment method should be either the original payment method or a gift card';
    }
    if (missingItem(itemIdsArg, itemIds(order)) !== undefined) return 'Error: some item not found';

    setItem(order, 'status', 'return requested');
    setItem(order, 'return_items', sorted(itemIdsArg));
    setItem(order, 'return_payment_method_id', paymentMethodId);
    return dumps(order);
  },
};
