import type { PyDict, PyValue } from '../../../tau-bench/py.ts';
import { add, gt, isub, len, lt, pyAbs, pyEq, pyRoundValue, sub, zip } from '../../../tau-bench/pyops.ts';
import { construct } from '../../model.ts';
import { asList, field, s } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { getOrder, getPaymentMethod, getVariant, isGiftCard } from '../db.ts';
import { findItem, orderItemIds, overAsked } from '../items.ts';
import { OrderPayment } from '../model.ts';

export const modifyPendingOrderItems = tool({
  name: 'modify_pending_order_items',
  params: ['order_id', 'item_ids', 'new_item_ids', 'payment_method_id'],
  required: ['order_id', 'item_ids', 'new_item_ids', 'payment_method_id'],
  type: 'write',
  call(db, args) {
    const order = getOrder(db, arg(args, 'order_id'));
    const itemIds = arg(args, 'item_ids');
    const newItemIds = arg(args, 'new_item_ids');
    const paymentMethodId = arg(args, 'payment_method_id');
    if (field(order, 'status') !== 'pending') throw valueError('Non-pending order cannot be modified');
    const bad = overAsked(itemIds, orderItemIds(order));
    if (bad !== undefined) throw valueError(`${s(bad)} not found`);
    if (len(itemIds) !== len(newItemIds)) throw valueError('The number of items to be exchanged should match');
    let diff: PyValue = 0;
    let variant: PyDict | undefined;
    for (const [itemId, newItemId] of zip(itemIds, newItemIds)) {
      if (pyEq(itemId, newItemId)) throw valueError('The new item id should be different from the old item id');
      const item = findItem(order, itemId);
      if (item === undefined) throw valueError(`Item ${s(itemId)} not found`);
      variant = getVariant(db, field(item, 'product_id'), newItemId);
      if (field(variant, 'available') !== true) throw valueError(`New item ${s(newItemId)} not found or available`);
      diff = add(diff, sub(field(variant, 'price'), field(item, 'price')));
    }
    const method = getPaymentMethod(db, field(order, 'user_id'), paymentMethodId);
    if (isGiftCard(method) && lt(field(method, 'balance'), diff)) {
      throw valueError('Insufficient gift card balance to pay for the new item');
    }
    asList(field(order, 'payment_history'), 'payment_history').push(
      construct('OrderPayment', OrderPayment, new Map<string, PyValue>([
        ['transaction_type', gt(diff, 0) ? 'payment' : 'refund'],
        ['amount', pyAbs(diff)],
        ['payment_method_id', paymentMethodId],
      ])),
    );
    if (isGiftCard(method)) {
      method.set('balance', isub(field(method, 'balance'), diff));
      method.set('balance', pyRoundValue(field(method, 'balance'), 2));
    }
    for (const [itemId, newItemId] of zip(itemIds, newItemIds)) {
      const item = findItem(order, itemId);
      if (item === undefined) throw valueError(`Item ${s(itemId)} not found`);
      item.set('item_id', newItemId);
      // The original sets every modified item to the last new variant's price and options.
      if (variant !== undefined) {
        item.set('price', field(variant, 'price'));
        item.set('options', field(variant, 'options'));
      }
    }
    order.set('status', 'pending (item modified)');
    return order;
  },
});
