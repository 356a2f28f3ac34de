import { asDict, at, field } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { lower } from './find_user_id_by_name_zip.ts';

export const findUserIdByEmail = tool({
  name: 'find_user_id_by_email',
  params: ['email'],
  required: ['email'],
  type: 'read',
  call(db, args) {
    for (const [userId, user] of asDict(at(db, 'users'), 'users')) {
      if (lower(field(user, 'email')) === lower(arg(args, 'email'))) return userId;
    }
    throw valueError('User not found');
  },
});
