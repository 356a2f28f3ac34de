import { arg, tool } from '../../toolkit.ts';
import { getUser } from '../db.ts';

export const getUserDetails = tool({
  name: 'get_user_details',
  params: ['user_id'],
  required: ['user_id'],
  type: 'read',
  call: (db, args) => getUser(db, arg(args, 'user_id')),
});
