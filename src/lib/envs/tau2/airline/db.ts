/** AirlineTools' private helpers (`_get_user`, `_get_reservation`, ...) over the stored FlightDB. */
import { isDict, type PyDict, type PyValue } from '../../tau-bench/py.ts';
import { PyException, isNum, isub, lt, pyEq } from '../../tau-bench/pyops.ts';
import { construct } from '../model.ts';
import { asDict, at, field, has, s } from '../pyhelp.ts';
import { valueError } from '../toolkit.ts';
import { FlightInfo, Passenger, Payment } from './model.ts';

export const CLASS = 'AirlineTools';

const table = (db: PyDict, name: string): PyDict => asDict(at(db, name), name);

export function getUser(db: PyDict, userId: PyValue): PyDict {
  const users = table(db, 'users');
  if (!has(users, userId)) throw valueError(`User ${s(userId)} not found`);
  return asDict(at(users, userId), 'User');
}

export function getReservation(db: PyDict, reservationId: PyValue): PyDict {
  const reservations = table(db, 'reservations');
  if (!has(reservations, reservationId)) throw valueError(`Reservation ${s(reservationId)} not found`);
  return asDict(at(reservations, reservationId), 'Reservation');
}

export function getFlight(db: PyDict, flightNumber: PyValue): PyDict {
  const flights = table(db, 'flights');
  if (!has(flights, flightNumber)) throw valueError(`Flight ${s(flightNumber)} not found`);
  return asDict(at(flights, flightNumber), 'Flight');
}

export function getFlightInstance(db: PyDict, flightNumber: PyValue, date: PyValue): PyDict {
  const dates = asDict(field(getFlight(db, flightNumber), 'dates'), 'dates');
  if (!has(dates, date)) throw valueError(`Flight ${s(flightNumber)} not found on date ${s(date)}`);
  return asDict(at(dates, date), 'FlightDateStatus');
}

export function newReservationId(db: PyDict): string {
  const reservations = table(db, 'reservations');
  for (const id of ['HATHAT', 'HATHAU', 'HATHAV']) if (!reservations.has(id)) return id;
  throw valueError('Too many reservations');
}

export const NEW_PAYMENT_IDS = [3221322, 3221323, 3221324];
export const NOW = '2024-05-15T15:00:00';

/**
 * `if all(isinstance(x, dict) for x in xs): xs = [Model(**x) for x in xs]`; a list that is not all
 * dicts stays as it is (the original then fails on attribute access, as `attr` does here).
 */
export function modelsIfAllDicts(title: string, schema: Parameters<typeof construct>[1], xs: PyValue): PyValue {
  const items = Array.isArray(xs) ? xs : typeof xs === 'string' ? [...xs] : isDict(xs) ? [...xs.keys()] : null;
  if (items === null) throw new PyException('TypeError', `'${xs === null ? 'NoneType' : typeof xs === 'number' ? 'int' : 'object'}' object is not iterable`);
  if (items.every(isDict)) return items.map((x) => construct(title, schema, asDict(x, title)));
  return xs;
}

/** `obj.attr` on an item that should be a model: a str or raw dict has no such attribute. */
export function attr(obj: PyValue, name: string): PyValue {
  if (isDict(obj)) {
    const v = obj.get(name);
    if (v !== undefined) return v;
    throw new PyException('AttributeError', `'dict' object has no attribute '${name}'`);
  }
  const t = obj === null ? 'NoneType' : typeof obj === 'string' ? 'str' : typeof obj === 'boolean' ? 'bool' : isNum(obj) ? (typeof obj === 'number' ? 'int' : 'float') : 'list';
  throw new PyException('AttributeError', `'${t}' object has no attribute '${name}'`);
}

export const schemas = { FlightInfo, Passenger, Payment };

/** `_payment_for_update`: charges a gift card (deducted before the payment record is built) or a card on file. */
export function paymentForUpdate(user: PyDict, paymentId: PyValue, totalPrice: PyValue): PyDict | null {
  const methods = asDict(field(user, 'payment_methods'), 'payment_methods');
  if (!has(methods, paymentId)) throw valueError('Payment method not found');
  const method = asDict(at(methods, paymentId), 'PaymentMethod');
  const source = field(method, 'source');
  if (source === 'certificate') throw valueError('Certificate cannot be used to update reservation');
  if (source === 'gift_card' && lt(field(method, 'amount'), totalPrice)) throw valueError('Gift card balance is not enough');
  if (source === 'gift_card') method.set('amount', isub(field(method, 'amount'), totalPrice));
  if (pyEq(totalPrice, 0)) return null;
  return construct('Payment', Payment, new Map<string, PyValue>([['payment_id', paymentId], ['amount', totalPrice]]));
}
