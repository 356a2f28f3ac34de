/** `_search_direct_flight`: available flights on a date, as DirectFlight models, in DB order. */
import type { PyDict, PyValue } from '../../tau-bench/py.ts';
import { pyEq } from '../../tau-bench/pyops.ts';
import { construct } from '../model.ts';
import { asDict, at, field, has } from '../pyhelp.ts';
import { DirectFlight } from './model.ts';

export function searchDirect(db: PyDict, date: PyValue, origin: PyValue, destination: PyValue, leaveAfter: PyValue): PyDict[] {
  const results: PyDict[] = [];
  for (const f of asDict(at(db, 'flights'), 'flights').values()) {
    const flight = asDict(f, 'Flight');
    const dates = asDict(field(flight, 'dates'), 'dates');
    const ok =
      (origin === null || pyEq(field(flight, 'origin'), origin)) &&
      (destination === null || pyEq(field(flight, 'destination'), destination)) &&
      has(dates, date) &&
      field(asDict(at(dates, date), 'status'), 'status') === 'available' &&
      (leaveAfter === null || String(field(flight, 'scheduled_departure_time_est')) >= String(leaveAfter));
    if (!ok) continue;
    const d = asDict(at(dates, date), 'FlightDateStatus');
    results.push(construct('DirectFlight', DirectFlight, new Map<string, PyValue>([
      ['flight_number', field(flight, 'flight_number')],
      ['origin', field(flight, 'origin')],
      ['destination', field(flight, 'destination')],
      ['status', 'available'],
      ['scheduled_departure_time_est', field(flight, 'scheduled_departure_time_est')],
      ['scheduled_arrival_time_est', field(flight, 'scheduled_arrival_time_est')],
      ['available_seats', field(d, 'available_seats')],
      ['prices', field(d, 'prices')],
    ])));
  }
  return results;
}
