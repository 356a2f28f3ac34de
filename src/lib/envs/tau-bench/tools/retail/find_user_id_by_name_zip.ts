import { dictOf, getItem, lower, pyEq } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

export const findUserIdByNameZip: TauTool = {
  name: 'find_user_id_by_name_zip',
  pyClass: 'FindUserIdByNameZip',
  pyModule: 'tau_bench.envs.retail.tools.find_user_id_by_name_zip',
  required: ['first_name', 'last_name', 'zip'],
  optional: [],
  invoke(data, args) {
    const firstName = arg(args, 'first_name');
    const lastName = arg(args, 'last_name');
    const zip = arg(args, 'zip');
    for (const [userId, profile] of dictOf(getItem(data, 'users'), 'items')) {
      const name = getItem(profile, 'name');
      // Short-circuits like Python's `and`: later arguments are only read when earlier ones match.
      if (
        lower(getItem(name, 'first_name')) === lower(firstName) &&
        lower(getItem(name, 'last_name')) === lower(lastName) &&
        pyEq(getItem(getItem(profile, 'address'), 'zip'), zip)
      ) {
        return userId;
      }
    }
    return 'Error: user not found';
  },
};
