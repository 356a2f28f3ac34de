import type { PyValue } from '../../../tau-bench/py.ts';
import { add, len, lt, pyRoundValue, sorted, sub, zip } from '../../../tau-bench/pyops.ts';
import { field, s } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { getOrder, getPaymentMethod, getVariant, isGiftCard } from '../db.ts';
import { findItem, orderItemIds, overAsked } from '../items.ts';

export const exchangeDeliveredOrderItems = tool({
  name: 'exchange_delivered_order_items',
  params: ['order_id', 'item_ids', 'new_item_ids', 'payment_method_id'],
  required: ['order_id', 'item_ids', 'new_item_ids', 'payment_method_id'],
  type: 'write',
  call(db, args) {
    const order = getOrder(db, arg(args, 'order_id'));
    const itemIds = arg(args, 'item_ids');
    const newItemIds = arg(args, 'new_item_ids');
    const paymentMethodId = arg(args, 'payment_method_id');
    if (field(order, 'status') !== 'delivered') throw valueError('Non-delivered order cannot be exchanged');
    const bad = overAsked(itemIds, orderItemIds(order));
    if (bad !== undefined) throw valueError(`Number of ${s(bad)} not found.`);
    if (len(itemIds) !== len(newItemIds)) throw valueError('The number of items to be exchanged should match.');
    let diff: PyValue = 0;
    for (const [itemId, newItemId] of zip(itemIds, newItemIds)) {
      const item = findItem(order, itemId);
      if (item === undefined) throw valueError(`Item ${s(itemId)} not found`);
      const variant = getVariant(db, field(item, 'product_id'), newItemId);
      if (field(variant, 'available') !== true) throw valueError(`New item ${s(newItemId)} not found or available`);
      diff = add(diff, sub(field(variant, 'price'), field(item, 'price')));
    }
    diff = pyRoundValue(diff, 2);
    const method = getPaymentMethod(db, field(order, 'user_id'), paymentMethodId);
    if (isGiftCard(method) && lt(field(method, 'balance'), diff)) {
      throw valueError('Insufficient gift card balance to pay for the price difference');
    }
    order.set('status', 'exchange requested');
    order.set('exchange_items', sorted(itemIds));
    order.set('exchange_new_items', sorted(newItemIds));
    order.set('exchange_payment_method_id', paymentMethodId);
    order.set('exchange_price_difference', diff);
    return order;
  },
});
