import { dumps, pyStr } from '../../py.ts';
import {
  append, contains, isub, dict, getItem, gt, len, lt, pyAbs, pyEq, pyRoundValue, setItem, zip,
} from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';
import { findItem, itemIds, missingItem, priceDifference } from './items.ts';

export const modifyPendingOrderItems: TauTool = {
  name: 'modify_pending_order_items',
  pyClass: 'ModifyPendingOrderItems',
  pyModule: 'tau_bench.envs.retail.tools.modify_pending_order_items',
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
    if (!pyEq(getItem(order, 'status'), 'pending')) return 'Error: non-pending order cannot be modified';

    const missing = missingItem(itemIdsArg, itemIds(order));
    if (missing !== undefined) return `Error: ${pyStr(missing)} not found`;

    if (len(itemIdsArg) !== len(newItemIds)) return 'Error: the number of items to be exchanged should match';

    const priced = priceDifference(products, order, itemIdsArg, newItemIds);
    if ('error' in priced) return priced.error;
    // Unlike the exchange tool, the original does not round this difference.
    const diffPrice = priced.diff;

    const methods = getItem(getItem(users, getItem(order, 'user_id')), 'payment_methods');
    if (!contains(methods, paymentMethodId)) return 'Error: payment method not found';
    const paymentMethod = getItem(methods, paymentMethodId);
    if (pyEq(getItem(paymentMethod, 'source'), 'gift_card') && lt(getItem(paymentMethod, 'balance'), diffPrice)) {
      return 'Error: insufficient gift card balance to pay for the new item';
    }

    append(
      getItem(order, 'payment_history'),
      dict([
        ['transaction_type', gt(diffPrice, 0) ? 'payment' : 'refund'],
        ['amount', pyAbs(diffPrice)],
        ['payment_method_id', paymentMethodId],
      ]),
    );
    if (pyEq(getItem(paymentMethod, 'source'), 'gift_card')) {
      setItem(paymentMethod, 'balance', isub(getItem(paymentMethod, 'balance'), diffPrice));
      setItem(paymentMethod, 'balance', pyRoundValue(getItem(paymentMethod, 'balance'), 2));
    }

    for (const [itemId, newItemId] of zip(itemIdsArg, newItemIds)) {
      // Searched again after earlier items changed, exactly as the original does.
      const item = findItem(order, itemId);
      setItem(item, 'item_id', newItemId);
      const variant = getItem(getItem(getItem(products, getItem(item, 'product_id')), 'variants'), newItemId);
      setItem(item, 'price', getItem(variant, 'price'));
      setItem(item, 'options', getItem(variant, 'options'));
    }
    setItem(order, 'status', 'pending (item modified)');
    return dumps(order);
  },
};
