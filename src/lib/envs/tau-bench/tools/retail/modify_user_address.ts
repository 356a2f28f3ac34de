import { dumps } from '../../py.ts';
import { contains, dict, getItem, setItem } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

const FIELDS = ['address1', 'address2', 'city', 'state', 'country', 'zip'] as const;

export const modifyUserAddress: TauTool = {
  name: 'modify_user_address',
  pyClass: 'ModifyUserAddress',
  pyModule: 'tau_bench.envs.retail.tools.modify_user_address',
  required: ['user_id', ...FIELDS],
  optional: [],
  invoke(data, args) {
    const userId = arg(args, 'user_id');
    const users = getItem(data, 'users');
    if (!contains(users, userId)) return 'Error: user not found';
    const user = getItem(users, userId);
    setItem(user, 'address', dict(FIELDS.map((f) => [f, arg(args, f)])));
    return dumps(user);
  },
};
