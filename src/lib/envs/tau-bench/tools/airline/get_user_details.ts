import { dumps } from '../../py.ts';
import { contains, getItem } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

export const getUserDetails: TauTool = {
  name: 'get_user_details',
  pyClass: 'GetUserDetails',
  pyModule: 'tau_bench.envs.airline.tools.get_user_details',
  required: ['user_id'],
  optional: [],
  invoke(data, args) {
    const id = arg(args, 'user_id');
    const table = getItem(data, 'users');
    if (contains(table, id)) return dumps(getItem(table, id));
    return 'Error: user not found';
  },
};
