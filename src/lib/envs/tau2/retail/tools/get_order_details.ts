import { arg, tool } from '../../toolkit.ts';
import { getOrder } from '../db.ts';

export const getOrderDetails = tool({
  name: 'get_order_details',
  params: ['order_id'],
  required: ['order_id'],
  type: 'read',
  call: (db, args) => getOrder(db, arg(args, 'order_id')),
});
