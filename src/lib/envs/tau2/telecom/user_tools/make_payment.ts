import { field, s } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { paymentRequest } from '../device.ts';

export const makePayment = tool({
  name: 'make_payment',
  params: [],
  required: [],
  type: 'write',
  call(db) {
    const p = paymentRequest(db);
    if (p === null) return 'You do not have a payment request.';
    p.set('paid', true);
    return `Payment of ${s(field(p, 'amount_due'))} USD has been made for bill ${s(field(p, 'bill_id'))}.`;
  },
});
