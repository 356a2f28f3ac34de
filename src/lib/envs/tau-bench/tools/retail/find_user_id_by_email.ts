import { dictOf, getItem, lower } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

export const findUserIdByEmail: TauTool = {
  name: 'find_user_id_by_email',
  pyClass: 'FindUserIdByEmail',
  pyModule: 'tau_bench.envs.retail.tools.find_user_id_by_email',
  required: ['email'],
  optional: [],
  invoke(data, args) {
    const email = arg(args, 'email');
    for (const [userId, profile] of dictOf(getItem(data, 'users'), 'items')) {
      if (lower(getItem(profile, 'email')) === lower(email)) return userId;
    }
    return 'Error: user not found';
  },
};
