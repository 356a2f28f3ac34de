/**
 * TelecomTools' methods that are not tools: the task set-up functions (`set_data_usage`,
 * `suspend_line_for_overdue_bill`) and the assertions that tasks' `env_assertions` name.
 */
import type { PyDict, PyValue } from '../../tau-bench/py.ts';
import { PyException, contains, gt, iadd, lt, pyAbs, sub, truthy } from '../../tau-bench/pyops.ts';
import { construct } from '../model.ts';
import { asList, field, s } from '../pyhelp.ts';
import { arg, bind, tool, valueError, type Tau2Tool } from '../toolkit.ts';
import { addDays, firstOfMonth, getBillById, getCustomerById, getLineById, getPlanById, getTargetLine, le, TODAY, CLASS } from './db.ts';
import { Bill, BILL_STATUS, LINE_STATUS, LineItem } from './model.ts';
import type { EnvFunction } from '../environment.ts';

const fn = (spec: Omit<Tau2Tool, 'mutates' | 'type'>): Tau2Tool => tool({ ...spec, type: 'generic' });

const setDataUsage = fn({
  name: 'set_data_usage',
  params: ['customer_id', 'line_id', 'data_used_gb'],
  required: ['customer_id', 'line_id', 'data_used_gb'],
  call(db, args) {
    const lineId = arg(args, 'line_id');
    const used = arg(args, 'data_used_gb');
    getTargetLine(db, arg(args, 'customer_id'), lineId).set('data_used_gb', used);
    return `Data usage set to ${s(used)} GB for line ${s(lineId)}`;
  },
});

const suspendLineForOverdueBill = fn({
  name: 'suspend_line_for_overdue_bill',
  params: ['customer_id', 'line_id', 'new_bill_id', 'contract_ended'],
  required: ['customer_id', 'line_id', 'new_bill_id', 'contract_ended'],
  call(db, args) {
    const customerId = arg(args, 'customer_id');
    const lineId = arg(args, 'line_id');
    const newBillId = arg(args, 'new_bill_id');
    const contractEnded = arg(args, 'contract_ended');
    const line = getLineById(db, lineId);
    if (field(line, 'status') !== LINE_STATUS.ACTIVE) throw valueError('Line must be active to suspend for unpaid bill');
    const amount = field(getPlanById(db, field(line, 'plan_id')), 'price_per_month');
    const description = `Charge for line ${s(field(line, 'line_id'))}`;
    if (le(amount, 0)) throw valueError('Amount must be positive for overdue bill');
    const customer = getCustomerById(db, customerId);
    const billIds = asList(field(customer, 'bill_ids'), 'bill_ids');
    if (billIds.some((id) => field(getBillById(db, id), 'status') === BILL_STATUS.OVERDUE)) throw valueError('Customer already has an overdue bill');
    const lastOfLastMonth = addDays(firstOfMonth(TODAY), -1);
    const firstOfLastMonth = firstOfMonth(lastOfLastMonth);
    const bill = construct(
      'Bill',
      Bill,
      new Map<string, PyValue>([
        ['bill_id', newBillId],
        ['customer_id', customerId],
        ['period_start', firstOfLastMonth],
        ['period_end', lastOfLastMonth],
        ['issue_date', firstOfLastMonth],
        ['total_due', 0],
        ['due_date', addDays(firstOfLastMonth, 14)],
        ['status', BILL_STATUS.OVERDUE],
      ]),
    );
    const item = construct(
      'LineItem',
      LineItem,
      new Map<string, PyValue>([
        ['description', description],
        ['amount', amount],
        ['date', TODAY],
        ['item_type', gt(amount, 0) ? 'Charge' : 'Credit'],
      ]),
    );
    asList(field(bill, 'line_items'), 'line_items').push(item);
    bill.set('total_due', iadd(field(bill, 'total_due'), amount));
    asList(field(db, 'bills'), 'bills').push(bill);
    billIds.push(newBillId);
    line.set('status', LINE_STATUS.SUSPENDED);
    line.set('suspension_start_date', TODAY);
    if (truthy(contractEnded)) line.set('contract_end_date', lastOfLastMonth);
    return `Line ${s(lineId)} suspended for unpaid bill ${s(newBillId)}. Contract ended: ${s(contractEnded)}`;
  },
});

const assertDataRefuelingAmount = fn({
  name: 'assert_data_refueling_amount',
  params: ['customer_id', 'line_id', 'expected_amount'],
  required: ['customer_id', 'line_id', 'expected_amount'],
  call(db, args) {
    const line = getTargetLine(db, arg(args, 'customer_id'), arg(args, 'line_id'));
    return lt(pyAbs(sub(field(line, 'data_refueling_gb'), arg(args, 'expected_amount'))), 1e-6);
  },
});

const assertLineStatus = fn({
  name: 'assert_line_status',
  params: ['customer_id', 'line_id', 'expected_status'],
  required: ['customer_id', 'line_id', 'expected_status'],
  call: (db, args) => field(getTargetLine(db, arg(args, 'customer_id'), arg(args, 'line_id')), 'status') === arg(args, 'expected_status'),
});

const assertOverdueBillExists = fn({
  name: 'assert_overdue_bill_exists',
  params: ['customer_id', 'overdue_bill_id'],
  required: ['customer_id', 'overdue_bill_id'],
  call(db, args) {
    const id = arg(args, 'overdue_bill_id');
    const customer = getCustomerById(db, arg(args, 'customer_id'));
    if (!contains(field(customer, 'bill_ids'), id)) throw valueError(`Overdue bill ${s(id)} not found`);
    if (field(getBillById(db, id), 'status') !== BILL_STATUS.OVERDUE) throw valueError(`Overdue bill ${s(id)} is not overdue`);
    return true;
  },
});

const assertNoOverdueBill = fn({
  name: 'assert_no_overdue_bill',
  params: ['overdue_bill_id'],
  required: ['overdue_bill_id'],
  call(db, args) {
    try {
      return field(getBillById(db, arg(args, 'overdue_bill_id')), 'status') === BILL_STATUS.PAID;
    } catch (e) {
      if (e instanceof PyException && e.pyType === 'ValueError') return true;
      throw e;
    }
  },
});

const getAvailablePlanIds = fn({
  name: 'get_available_plan_ids',
  params: [],
  required: [],
  call: (db) => asList(field(db, 'plans'), 'plans').map((p) => field(p, 'plan_id')),
});

/** Binds a method the way `getattr(toolkit, name)(**kwargs)` does, with CPython's TypeError texts. */
export function envFunctions(className: string, specs: readonly Tau2Tool[]): Record<string, EnvFunction> {
  return Object.fromEntries(specs.map((t) => [t.name, (db: PyDict, kwargs: PyDict) => t.call(db, bind(className, t, kwargs))]));
}

export const TELECOM_AGENT_FUNCTIONS: Record<string, EnvFunction> = envFunctions(CLASS, [
  setDataUsage, suspendLineForOverdueBill, assertDataRefuelingAmount, assertLineStatus, assertOverdueBillExists, assertNoOverdueBill,
  getAvailablePlanIds,
]);
