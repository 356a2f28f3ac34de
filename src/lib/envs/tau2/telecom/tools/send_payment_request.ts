import { contains } from '../../../tau-bench/pyops.ts';
import { field, s } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { billsAwaitingPayment, getBillById, getCustomerById } from '../db.ts';
import { BILL_STATUS } from '../model.ts';

export const sendPaymentRequest = tool({
  name: 'send_payment_request',
  params: ['customer_id', 'bill_id'],
  required: ['customer_id', 'bill_id'],
  type: 'write',
  call(db, args) {
    const customerId = arg(args, 'customer_id');
    const billId = arg(args, 'bill_id');
    const customer = getCustomerById(db, customerId);
    if (billsAwaitingPayment(db, customer).length !== 0) throw valueError('A bill is already awaiting payment for this customer');
    if (!contains(field(customer, 'bill_ids'), billId)) throw valueError(`Bill ${s(billId)} not found for customer ${s(customerId)}`);
    const bill = getBillById(db, billId);
    bill.set('status', BILL_STATUS.AWAITING_PAYMENT);
    return `Payment request sent to the customer for bill ${s(field(bill, 'bill_id'))}`;
  },
});
