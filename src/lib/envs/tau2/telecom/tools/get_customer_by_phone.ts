import { arg, tool } from '../../toolkit.ts';
import { getCustomerByPhone } from '../db.ts';

export const getCustomerByPhoneTool = tool({
  name: 'get_customer_by_phone',
  params: ['phone_number'],
  required: ['phone_number'],
  type: 'read',
  call: (db, args) => getCustomerByPhone(db, arg(args, 'phone_number')),
});
