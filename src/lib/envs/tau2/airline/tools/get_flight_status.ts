import { field } from '../../pyhelp.ts';
import { arg, tool } from '../../toolkit.ts';
import { getFlightInstance } from '../db.ts';

export const getFlightStatus = tool({
  name: 'get_flight_status',
  params: ['flight_number', 'date'],
  required: ['flight_number', 'date'],
  type: 'read',
  call: (db, args) => field(getFlightInstance(db, arg(args, 'flight_number'), arg(args, 'date')), 'status'),
});
