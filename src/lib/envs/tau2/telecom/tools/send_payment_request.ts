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
  schema: {
    description: 'Sends a payment request to the customer for a specific bill.\n\nChecks:\n    - Customer exists\n    - Bill exists and belongs to the customer\n    - No other bills are already awaiting payment for this customer\nLogic: Sets bill status to AWAITING_PAYMENT and notifies customer.\nWarning: This method does not check if the bill is already PAID.\nAlways check the bill status before calling this method.',
    parameters: {
      properties: {
        customer_id: { description: 'ID of the customer who owns the bill.', title: 'Customer Id', type: 'string' },
        bill_id: { description: 'ID of the bill to send payment request for.', title: 'Bill Id', type: 'string' },
      },
      required: ['customer_id', 'bill_id'],
      title: 'parameters',
      type: 'object',
    },
  },
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
