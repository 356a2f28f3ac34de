import { dumps, pyStr } from '../../py.ts';
import { contains, getItem, len, lt, pyEq, pyRoundValue, setItem, sorted } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';
import { itemIds, missingItem, priceDifference } from './items.ts';

export const exchangeDeliveredOrderItems: TauTool = {
  name: 'exchange_delivered_order_items',
  pyClass: 'ExchangeDeliveredOrderItems',
  pyModule: 'tau_bench.envs.retail.tools.exchange_delivered_order_items',
  required: ['order_id', 'item_ids', 'new_item_ids', 'payment_method_id'],
  optional: [],
  invoke(data, args) {
    const orderId = arg(args, 'order_id');
    const itemIdsArg = arg(args, 'item_ids');
    const newItemIds = arg(args, 'new_item_ids');
    const paymentMethodId = arg(args, 'payment_method_id');
    const products = getItem(data, 'products');
    const orders = getItem(data, 'orders');
    const users = getItem(data, 'users');

    if (!contains(orders, orderId)) return 'Error: order not found';
    const order = getItem(orders, orderId);
    if (!pyEq(getItem(order, 'status'), 'delivered')) return 'Error: non-delivered order cannot be exchanged';

    const missing = missingItem(itemIdsArg, itemIds(order));
    if (missing !== undefined) return `Error: ${pyStr(missing)} not found`;

    if (len(itemIdsArg) !== len(newItemIds)) return 'Error: the number of items to be exchanged should match';

    const priced = priceDifference(products, order, itemIdsArg, newItemIds);
    if ('error' in priced) return priced.error;
    const diffPrice = pyRoundValue(priced.diff, 2);

    const methods = getItem(getItem(users, getItem(order, 'user_id')), 'payment_methods');
    if (!contains(methods, paymentMethodId)) return 'Error: payment method not found';
    const paymentMethod = getItem(methods, paymentMethodId);
    if (pyEq(getItem(paymentMethod, 'source'), 'gift_card') && lt(getItem(paymentMethod, 'balance'), diffPrice)) {
      return 'Error: insufficient gift card balance to pay for the price difference';
    }

    setItem(order, 'status', 'exchange requested');
    setItem(order, 'exchange_items', sorted(itemIdsArg));
    setItem(order, 'exchange_new_items', sorted(newItemIds));
    setItem(order, 'exchange_payment_method_id', paymentMethodId);
    setItem(order, 'exchange_price_difference', diffPrice);
    return dumps(order);
  },
};
