import { dumps } from '../../py.ts';
import { contains, getItem } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

export const getReservationDetails: TauTool = {
  name: 'get_reservation_details',
  pyClass: 'GetReservationDetails',
  pyModule: 'tau_bench.envs.airline.tools.get_reservation_details',
  required: ['reservation_id'],
  optional: [],
  invoke(data, args) {
    const id = arg(args, 'reservation_id');
    const table = getItem(data, 'reservations');
    if (contains(table, id)) return dumps(getItem(table, id));
    // The original says 'user' here too.
    return 'Error: user not found';
  },
};
