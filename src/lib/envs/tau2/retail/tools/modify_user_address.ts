import { arg, tool } from '../../toolkit.ts';
import { ADDRESS_PARAMS, addressFromArgs } from '../address.ts';
import { getUser } from '../db.ts';

export const modifyUserAddress = tool({
  name: 'modify_user_address',
  params: ['user_id', ...ADDRESS_PARAMS],
  required: ['user_id', ...ADDRESS_PARAMS],
  type: 'write',
  call(db, args) {
    const user = getUser(db, arg(args, 'user_id'));
    user.set('address', addressFromArgs(args));
    return user;
  },
});
