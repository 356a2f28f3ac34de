import { lower } from '../../../tau-bench/pyops.ts';
import { asList, field } from '../../pyhelp.ts';
import { arg, tool } from '../../toolkit.ts';

export const getCustomerByName = tool({
  name: 'get_customer_by_name',
  params: ['full_name', 'dob'],
  required: ['full_name', 'dob'],
  type: 'read',
  call(db, args) {
    const dob = arg(args, 'dob');
    return asList(field(db, 'customers'), 'customers').filter(
      (c) => lower(field(c, 'full_name')) === lower(arg(args, 'full_name')) && field(c, 'date_of_birth') === dob,
    );
  },
});
