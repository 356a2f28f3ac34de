import { dumps, type PyDict, type PyValue } from '../../py.ts';
import { contains, dictOf, getItem, pyEq } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

/** `{k: v for k, v in flight.items() if k != "dates"}` updated with one date's entry. */
export function flightOnDate(flight: PyValue, dateData: PyValue): PyDict {
  const out: PyDict = new Map();
  for (const [k, v] of dictOf(flight, 'items')) if (k !== 'dates') out.set(k, v);
  for (const [k, v] of dictOf(dateData, 'items')) out.set(k, v);
  return out;
}

export const searchDirectFlight: TauTool = {
  name: 'search_direct_flight',
  pyClass: 'SearchDirectFlight',
  pyModule: 'tau_bench.envs.airline.tools.search_direct_flight',
  required: ['origin', 'destination', 'date'],
  optional: [],
  invoke(data, args) {
    const origin = arg(args, 'origin');
    const destination = arg(args, 'destination');
    const date = arg(args, 'date');
    const results: PyValue[] = [];
    for (const flight of dictOf(getItem(data, 'flights'), 'values').values()) {
      if (pyEq(getItem(flight, 'origin'), origin) && pyEq(getItem(flight, 'destination'), destination)) {
        const dates = getItem(flight, 'dates');
        if (contains(dates, date) && pyEq(getItem(getItem(dates, date), 'status'), 'available')) {
          results.push(flightOnDate(flight, getItem(dates, date)));
        }
      }
    }
    return dumps(results);
  },
};
