import { arg, tool, valueError } from '../../toolkit.ts';
import { ADDRESS_PARAMS, addressFromArgs } from '../address.ts';
import { getOrder, isPending } from '../db.ts';

export const modifyPendingOrderAddress = tool({
  name: 'modify_pending_order_address',
  params: ['order_id', ...ADDRESS_PARAMS],
  required: ['order_id', ...ADDRESS_PARAMS],
  type: 'write',
  call(db, args) {
    const order = getOrder(db, arg(args, 'order_id'));
    if (!isPending(order)) throw valueError('Non-pending order cannot be modified');
    order.set('address', addressFromArgs(args));
    return order;
  },
});
