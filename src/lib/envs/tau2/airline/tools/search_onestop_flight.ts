import type { PyValue } from '../../../tau-bench/py.ts';
import { PyException } from '../../../tau-bench/pyops.ts';
import { field } from '../../pyhelp.ts';
import { arg, tool } from '../../toolkit.ts';
import { searchDirect } from '../search.ts';

/** `int(date[-2:]) + 1`, unpadded, as the original builds the next day's date. */
function nextDay(date: PyValue): string {
  if (typeof date !== 'string') throw new PyException('TypeError', `'${date === null ? 'NoneType' : typeof date}' object is not subscriptable`);
  const tail = [...date].slice(-2).join('');
  if (!/^\s*[+-]?\d+\s*$/.test(tail)) throw new PyException('ValueError', `invalid literal for int() with base 10: '${tail}'`);
  return `2024-05-${Number(tail.trim()) + 1}`;
}

export const searchOnestopFlight = tool({
  name: 'search_onestop_flight',
  params: ['origin', 'destination', 'date'],
  required: ['origin', 'destination', 'date'],
  type: 'read',
  call(db, args) {
    const date = arg(args, 'date');
    const results: PyValue[] = [];
    for (const first of searchDirect(db, date, arg(args, 'origin'), null, null)) {
      first.set('date', date);
      const arrival = String(field(first, 'scheduled_arrival_time_est'));
      const date2 = arrival.includes('+1') ? nextDay(date) : date;
      for (const second of searchDirect(db, date2, field(first, 'destination'), arg(args, 'destination'), arrival)) {
        second.set('date', date2);
        results.push([first, second]);
      }
    }
    return results;
  },
});
