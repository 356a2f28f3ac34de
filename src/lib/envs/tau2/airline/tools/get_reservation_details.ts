import { arg, tool } from '../../toolkit.ts';
import { getReservation } from '../db.ts';

export const getReservationDetails = tool({
  name: 'get_reservation_details',
  params: ['reservation_id'],
  required: ['reservation_id'],
  type: 'read',
  call: (db, args) => getReservation(db, arg(args, 'reservation_id')),
});
