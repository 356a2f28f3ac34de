import { dumps } from '../../py.ts';
import { contains, getItem, len, setItem } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

export const updateReservationPassengers: TauTool = {
  name: 'update_reservation_passengers',
  pyClass: 'UpdateReservationPassengers',
  pyModule: 'tau_bench.envs.airline.tools.update_reservation_passengers',
  required: ['reservation_id', 'passengers'],
  optional: [],
  invoke(data, args) {
    const reservationId = arg(args, 'reservation_id');
    const passengers = arg(args, 'passengers');
    const reservations = getItem(data, 'reservations');
    if (!contains(reservations, reservationId)) return 'Error: reservation not found';
    const reservation = getItem(reservations, reservationId);
    if (len(passengers) !== len(getItem(reservation, 'passengers'))) return 'Error: number of passengers does not match';
    setItem(reservation, 'passengers', passengers);
    return dumps(reservation);
  },
};
