import { dumps, isDict, strRepr, typeName, type PyValue } from '../../py.ts';
import { PyException, contains, dictOf, getItem, gt, pyEq, typeError } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';
import { flightOnDate } from './search_direct_flight.ts';

/** `date[-2:]`, as far as `int()` of it goes. */
function lastTwo(v: PyValue): string {
  if (typeof v === 'string') return [...v].slice(-2).join('');
  if (Array.isArray(v)) throw typeError("int() argument must be a string, a bytes-like object or a real number, not 'list'");
  if (isDict(v)) throw typeError("unhashable type: 'slice'");
  throw typeError(`'${typeName(v)}' object is not subscriptable`);
}

/** `int(s)` for a str, with Python's accepted forms and ValueError text. */
function pyInt(s: string): number {
  if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(s)) {
    throw new PyException('ValueError', `invalid literal for int() with base 10: ${strRepr(s)}`);
  }
  return Number(s.replace(/[_\s]/g, ''));
}

export const searchOnestopFlight: TauTool = {
  name: 'search_onestop_flight',
  pyClass: 'SearchOnestopFlight',
  pyModule: 'tau_bench.envs.airline.tools.search_onestop_flight',
  required: ['origin', 'destination', 'date'],
  optional: [],
  invoke(data, args) {
    const origin = arg(args, 'origin');
    const destination = arg(args, 'destination');
    const date = arg(args, 'date');
    const flights = dictOf(getItem(data, 'flights'), 'values');
    const results: PyValue[] = [];
    for (const flight1 of flights.values()) {
      if (!pyEq(getItem(flight1, 'origin'), origin)) continue;
      for (const flight2 of flights.values()) {
        if (!(pyEq(getItem(flight2, 'destination'), destination) && pyEq(getItem(flight1, 'destination'), getItem(flight2, 'origin')))) {
          continue;
        }
        const arrival = getItem(flight1, 'scheduled_arrival_time_est');
        const date2 = contains(arrival, '+1') ? `2024-05-${pyInt(lastTwo(date)) + 1}` : date;
        if (gt(arrival, getItem(flight2, 'scheduled_departure_time_est'))) continue;
        const dates1 = getItem(flight1, 'dates');
        const dates2 = getItem(flight2, 'dates');
        if (contains(dates1, date) && contains(dates2, date2)) {
          if (
            pyEq(getItem(getItem(dates1, date), 'status'), 'available') &&
            pyEq(getItem(getItem(dates2, date2), 'status'), 'available')
          ) {
            const result1 = flightOnDate(flight1, getItem(dates1, date));
            result1.set('date', date);
            // The original merges flight2's entry for `date`, not `date2`; kept as is.
            const result2 = flightOnDate(flight2, getItem(dates2, date));
            result2.set('date', date2);
            results.push([result1, result2]);
          }
        }
      }
    }
    return dumps(results);
  },
};
