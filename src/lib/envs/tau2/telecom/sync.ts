/**
 * `TelecomEnvironment.sync_tools`: after every successful tool call and env function call, the phone
 * learns what the carrier's records say (line active, roaming allowed, data usage exceeded), a paid
 * payment request marks its bill paid, and a bill awaiting payment shows up as a payment request.
 */
import type { PyDict, PyValue } from '../../tau-bench/py.ts';
import { add, truthy } from '../../tau-bench/pyops.ts';
import { construct } from '../model.ts';
import { field } from '../pyhelp.ts';
import { billsAwaitingPayment, ge, getCustomerByPhone, getLineByPhone, getPlanById, setBillToPaid } from './db.ts';
import { surroundings } from './device.ts';
import { LINE_STATUS, PaymentRequest } from './model.ts';

export function syncTools(agentDb: PyDict, userDb: PyDict): void {
  const sur = surroundings(userDb);
  const phone = field(sur, 'phone_number');
  if (phone === null) return;
  const line = getLineByPhone(agentDb, phone);
  sur.set('line_active', field(line, 'status') === LINE_STATUS.ACTIVE);
  sur.set('roaming_allowed', truthy(field(line, 'roaming_enabled')));
  const plan = getPlanById(agentDb, field(line, 'plan_id'));
  sur.set('mobile_data_usage_exceeded', ge(field(line, 'data_used_gb'), add(field(plan, 'data_limit_gb'), field(line, 'data_refueling_gb'))));
  const paid = field(sur, 'payment_request');
  if (paid !== null && truthy(field(paid, 'paid'))) {
    setBillToPaid(agentDb, field(paid, 'bill_id'));
    sur.set('payment_request', null);
  }
  if (field(sur, 'payment_request') === null) {
    const bills = billsAwaitingPayment(agentDb, getCustomerByPhone(agentDb, phone));
    const bill = bills[0];
    if (bill !== undefined) {
      const request = new Map<string, PyValue>([
        ['bill_id', field(bill, 'bill_id')],
        ['amount_due', field(bill, 'total_due')],
      ]);
      sur.set('payment_request', construct('PaymentRequest', PaymentRequest, request));
    }
  }
}
