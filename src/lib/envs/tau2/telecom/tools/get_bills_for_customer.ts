import type { PyValue } from '../../../tau-bench/py.ts';
import { lt, typeError } from '../../../tau-bench/pyops.ts';
import { asList, field } from '../../pyhelp.ts';
import { arg, tool } from '../../toolkit.ts';
import { getBillById, getCustomerById } from '../db.ts';

/** `xs[:limit]` */
function head<T>(xs: T[], limit: PyValue): T[] {
  if (limit === null) return xs;
  if (typeof limit !== 'number' && typeof limit !== 'boolean') {
    throw typeError('slice indices must be integers or None or have an __index__ method');
  }
  return xs.slice(0, Number(limit));
}

export const getBillsForCustomer = tool({
  name: 'get_bills_for_customer',
  params: ['customer_id', 'limit'],
  required: ['customer_id'],
  type: 'read',
  call(db, args) {
    const customer = getCustomerById(db, arg(args, 'customer_id'));
    const bills = asList(field(customer, 'bill_ids'), 'bill_ids').map((id) => getBillById(db, id));
    // sorted(..., key=issue_date, reverse=True): stable, so equal dates keep their order.
    const sorted = [...bills].sort((a, b) => (lt(field(b, 'issue_date'), field(a, 'issue_date')) ? -1 : lt(field(a, 'issue_date'), field(b, 'issue_date')) ? 1 : 0));
    return head(sorted, 'limit' in args ? arg(args, 'limit') : 12);
  },
});
