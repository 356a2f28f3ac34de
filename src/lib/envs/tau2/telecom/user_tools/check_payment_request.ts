import { field, s } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { paymentRequest } from '../device.ts';

export const checkPaymentRequest = tool({
  name: 'check_payment_request',
  params: [],
  required: [],
  type: 'read',
  call(db) {
    const p = paymentRequest(db);
    if (p === null) return 'No payment request has been made.';
    return `You have a payment request for bill ${s(field(p, 'bill_id'))} of ${s(field(p, 'amount_due'))} USD.`;
  },
});
