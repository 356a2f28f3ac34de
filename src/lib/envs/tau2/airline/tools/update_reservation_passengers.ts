import { deepCopy } from '../../../tau-bench/py.ts';
import { len } from '../../../tau-bench/pyops.ts';
import { field } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { getReservation, modelsIfAllDicts } from '../db.ts';
import { Passenger } from '../model.ts';

export const updateReservationPassengers = tool({
  name: 'update_reservation_passengers',
  params: ['reservation_id', 'passengers'],
  required: ['reservation_id', 'passengers'],
  type: 'write',
  call(db, args) {
    const passengers = modelsIfAllDicts('Passenger', Passenger, arg(args, 'passengers'));
    const reservation = getReservation(db, arg(args, 'reservation_id'));
    if (len(passengers) !== len(field(reservation, 'passengers'))) throw valueError('Number of passengers does not match');
    reservation.set('passengers', deepCopy(passengers));
    return reservation;
  },
});
