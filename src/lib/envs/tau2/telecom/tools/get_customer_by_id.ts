import { arg, tool } from '../../toolkit.ts';
import { getCustomerById } from '../db.ts';

export const getCustomerByIdTool = tool({
  name: 'get_customer_by_id',
  params: ['customer_id'],
  required: ['customer_id'],
  type: 'read',
  call: (db, args) => getCustomerById(db, arg(args, 'customer_id')),
});
