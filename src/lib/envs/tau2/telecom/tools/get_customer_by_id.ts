import { arg, tool } from '../../toolkit.ts';
import { getCustomerById } from '../db.ts';

export const getCustomerByIdTool = tool({
  name: 'get_customer_by_id',
  params: ['customer_id'],
  required: ['customer_id'],
  type: 'read',
  schema: {
    description: 'Retrieves a customer directly by their unique ID.',
    parameters: {
      properties: {
        customer_id: { description: 'The unique identifier of the customer.', title: 'Customer Id', type: 'string' },
      },
      required: ['customer_id'],
      title: 'parameters',
      type: 'object',
    },
  },
  call: (db, args) => getCustomerById(db, arg(args, 'customer_id')),
});
