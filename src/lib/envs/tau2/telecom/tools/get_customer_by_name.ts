import { lower } from '../../../tau-bench/pyops.ts';
import { asList, field } from '../../pyhelp.ts';
import { arg, tool } from '../../toolkit.ts';

export const getCustomerByName = tool({
  name: 'get_customer_by_name',
  params: ['full_name', 'dob'],
  required: ['full_name', 'dob'],
  type: 'read',
  schema: {
    description: 'Searches for customers by name and DOB. May return multiple matches if names are similar,\n\nDOB helps disambiguate.',
    parameters: {
      properties: {
        full_name: { description: 'The full name of the customer.', title: 'Full Name', type: 'string' },
        dob: {
          description: 'Date of birth for verification, in the format YYYY-MM-DD.',
          title: 'Dob',
          type: 'string',
        },
      },
      required: ['full_name', 'dob'],
      title: 'parameters',
      type: 'object',
    },
  },
  call(db, args) {
    const dob = arg(args, 'dob');
    return asList(field(db, 'customers'), 'customers').filter(
      (c) => lower(field(c, 'full_name')) === lower(arg(args, 'full_name')) && field(c, 'date_of_birth') === dob,
    );
  },
});
