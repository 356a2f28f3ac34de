import { arg, tool } from '../../toolkit.ts';
import { getCustomerByPhone } from '../db.ts';

export const getCustomerByPhoneTool = tool({
  name: 'get_customer_by_phone',
  params: ['phone_number'],
  required: ['phone_number'],
  type: 'read',
  schema: {
    description: 'Finds a customer by their primary contact or line phone number.',
    parameters: {
      properties: {
        phone_number: { description: 'The phone number to search for.', title: 'Phone Number', type: 'string' },
      },
      required: ['phone_number'],
      title: 'parameters',
      type: 'object',
    },
  },
  call: (db, args) => getCustomerByPhone(db, arg(args, 'phone_number')),
});
