/** TelecomTools' private helpers over the stored TelecomDB (src/tau2/domains/telecom/tools.py). */
import { roundFloat, typeName, type PyDict, type PyValue } from '../../tau-bench/py.ts';
import { PyException, contains, iadd, isNum, lt, pyEq, typeError } from '../../tau-bench/pyops.ts';
import { construct } from '../model.ts';
import { asDict, asList, field, s } from '../pyhelp.ts';
import { valueError } from '../toolkit.ts';
import { Bill, BILL_STATUS, LineItem } from './model.ts';

export const CLASS = 'TelecomTools';

/** `get_today()`: the domain's fixed "today" (2025-02-25), as `str(date)`. */
export const TODAY = '2025-02-25';

const table = (db: PyDict, name: string): PyDict[] => asList(field(db, name), name).map((r) => asDict(r, name));

/** `get_customer_by_id` (also a tool). */
export function getCustomerById(db: PyDict, customerId: PyValue): PyDict {
  for (const c of table(db, 'customers')) if (pyEq(field(c, 'customer_id'), customerId)) return c;
  throw valueError(`Customer with ID ${s(customerId)} not found`);
}

export function getLineByPhone(db: PyDict, phone: PyValue): PyDict {
  for (const l of table(db, 'lines')) if (pyEq(field(l, 'phone_number'), phone)) return l;
  throw valueError(`Line with phone number ${s(phone)} not found`);
}

export function getLineById(db: PyDict, lineId: PyValue): PyDict {
  for (const l of table(db, 'lines')) if (pyEq(field(l, 'line_id'), lineId)) return l;
  throw valueError(`Line with ID ${s(lineId)} not found`);
}

export function getPlanById(db: PyDict, planId: PyValue): PyDict {
  for (const p of table(db, 'plans')) if (pyEq(field(p, 'plan_id'), planId)) return p;
  throw valueError(`Plan with ID ${s(planId)} not found`);
}

export function getDeviceById(db: PyDict, deviceId: PyValue): PyDict {
  for (const d of table(db, 'devices')) if (pyEq(field(d, 'device_id'), deviceId)) return d;
  throw valueError(`Device with ID ${s(deviceId)} not found`);
}

export function getBillById(db: PyDict, billId: PyValue): PyDict {
  for (const b of table(db, 'bills')) if (pyEq(field(b, 'bill_id'), billId)) return b;
  throw valueError(`Bill with ID ${s(billId)} not found`);
}

/** `_get_target_line`: the customer must own the line. */
export function getTargetLine(db: PyDict, customerId: PyValue, lineId: PyValue): PyDict {
  const customer = getCustomerById(db, customerId);
  if (!contains(field(customer, 'line_ids'), lineId)) throw valueError(`Line ${s(lineId)} not found for customer ${s(customerId)}`);
  return getLineById(db, lineId);
}

/** `get_customer_by_phone` (also a tool; sync_tools uses it). */
export function getCustomerByPhone(db: PyDict, phone: PyValue): PyDict {
  for (const c of table(db, 'customers')) {
    if (pyEq(field(c, 'phone_number'), phone)) return c;
    for (const lineId of asList(field(c, 'line_ids'), 'line_ids')) {
      if (pyEq(field(getLineById(db, lineId), 'phone_number'), phone)) return c;
    }
  }
  throw valueError(`Customer with phone number ${s(phone)} not found`);
}

/** `_get_bills_awaiting_payment` */
export function billsAwaitingPayment(db: PyDict, customer: PyDict): PyDict[] {
  return asList(field(customer, 'bill_ids'), 'bill_ids')
    .map((id) => getBillById(db, id))
    .filter((b) => field(b, 'status') === BILL_STATUS.AWAITING_PAYMENT);
}

/** `_set_bill_to_paid` */
export function setBillToPaid(db: PyDict, billId: PyValue): void {
  getBillById(db, billId).set('status', BILL_STATUS.PAID);
}

// ---------------------------------------------------------------- dates (naive `datetime.date` arithmetic on "YYYY-MM-DD")

function toUtc(d: string): Date {
  return new Date(`${d}T00:00:00Z`);
}
const fmt = (d: Date): string => d.toISOString().slice(0, 10);
export const addDays = (d: string, n: number): string => fmt(new Date(toUtc(d).getTime() + n * 86_400_000));
/** `d.replace(day=1)` */
export const firstOfMonth = (d: string): string => `${d.slice(0, 8)}01`;
/** `d.replace(month=..., year=...)` to the first of the next month, for a first-of-month date. */
export function nextMonthFirst(d: string): string {
  const x = toUtc(firstOfMonth(d));
  return fmt(new Date(Date.UTC(x.getUTCFullYear(), x.getUTCMonth() + 1, 1)));
}

// ---------------------------------------------------------------- numbers

/** `a <= b` with Python's TypeError text. */
export function le(a: PyValue, b: PyValue): boolean {
  if (isNum(a) && isNum(b)) return !lt(b, a);
  if (typeof a === 'string' && typeof b === 'string') return !lt(b, a);
  throw typeError(`'<=' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** `a >= b` */
export function ge(a: PyValue, b: PyValue): boolean {
  if (isNum(a) && isNum(b)) return !lt(a, b);
  if (typeof a === 'string' && typeof b === 'string') return !lt(a, b);
  throw typeError(`'>=' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** `f"{x:.2f}"` for a number (Python rounds the exact binary value half-even). */
export function fixed2(x: PyValue): string {
  if (!isNum(x)) throw new PyException('ValueError', "Unknown format code 'f' for object of type 'str'");
  const n = typeof x === 'number' ? x : typeof x === 'boolean' ? Number(x) : x.value;
  return roundFloat(n, 2).toFixed(2);
}

// ---------------------------------------------------------------- _apply_one_time_charge

/** The source of new draft-bill ids (`f"B{uuid.uuid4().hex[:8]}"` in the original), per agent DB. */
const billIdSources = new WeakMap<PyDict, () => string>();

export function randomBillId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `B${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function setBillIdSource(db: PyDict, source: () => string): void {
  billIdSources.set(db, source);
}

/** `_apply_one_time_charge`: a line item on the customer's draft bill (created for next month if none). */
export function applyOneTimeCharge(db: PyDict, customerId: PyValue, amount: PyValue, description: string): void {
  const customer = getCustomerById(db, customerId);
  let draft: PyDict | null = null;
  for (const id of asList(field(customer, 'bill_ids'), 'bill_ids')) {
    const bill = getBillById(db, id);
    if (field(bill, 'status') === BILL_STATUS.DRAFT) {
      draft = bill;
      break;
    }
  }
  if (draft === null) {
    const nextMonth = nextMonthFirst(TODAY);
    const newBillId = (billIdSources.get(db) ?? randomBillId)();
    draft = construct(
      'Bill',
      Bill,
      new Map<string, PyValue>([
        ['bill_id', newBillId],
        ['customer_id', customerId],
        ['period_start', nextMonth],
        ['period_end', addDays(nextMonthFirst(nextMonth), -1)],
        ['issue_date', nextMonth],
        ['total_due', 0],
        ['due_date', addDays(nextMonth, 14)],
        ['status', BILL_STATUS.DRAFT],
      ]),
    );
    asList(field(db, 'bills'), 'bills').push(draft);
    asList(field(customer, 'bill_ids'), 'bill_ids').push(newBillId);
  }
  const item = construct(
    'LineItem',
    LineItem,
    new Map<string, PyValue>([
      ['description', description],
      ['amount', amount],
      ['date', TODAY],
      ['item_type', lt(amount, 0) ? 'Credit' : 'Charge'],
    ]),
  );
  asList(field(draft, 'line_items'), 'line_items').push(item);
  draft.set('total_due', iadd(field(draft, 'total_due'), amount));
}

/**
 * A plain dict a tool returns, as `Environment.to_json_str` processes it: numbers and bools become
 * `str(x)`, models (stored dicts) are dumped as they are, str and None stay.
 */
export function plainDict(entries: Array<[string, PyValue]>): PyDict {
  return new Map(entries.map(([k, v]) => [k, isNum(v) ? s(v) : v]));
}
