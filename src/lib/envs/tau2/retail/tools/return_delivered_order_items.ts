import { pyEq, sorted } from '../../../tau-bench/pyops.ts';
import { asList, field } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { getOrder, getPaymentMethod, getUser, isGiftCard } from '../db.ts';
import { orderItemIds, overAsked } from '../items.ts';

export const returnDeliveredOrderItems = tool({
  name: 'return_delivered_order_items',
  params: ['order_id', 'item_ids', 'payment_method_id'],
  required: ['order_id', 'item_ids', 'payment_method_id'],
  type: 'write',
  call(db, args) {
    const order = getOrder(db, arg(args, 'order_id'));
    const itemIds = arg(args, 'item_ids');
    const paymentMethodId = arg(args, 'payment_method_id');
    if (field(order, 'status') !== 'delivered') throw valueError('Non-delivered order cannot be returned');
    const user = getUser(db, field(order, 'user_id'));
    const method = getPaymentMethod(db, field(user, 'user_id'), paymentMethodId);
    const first = asList(field(order, 'payment_history'), 'payment_history')[0];
    if (!isGiftCard(method) && (first === undefined || !pyEq(paymentMethodId, field(first, 'payment_method_id')))) {
      throw valueError('Payment method should be the original payment method');
    }
    if (overAsked(itemIds, orderItemIds(order)) !== undefined) throw valueError('Some item not found');
    order.set('status', 'return requested');
    order.set('return_items', sorted(itemIds));
    order.set('return_payment_method_id', paymentMethodId);
    return order;
  },
});
