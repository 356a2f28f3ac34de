import type { PyValue } from '../../../tau-bench/py.ts';
import { PyException } from '../../../tau-bench/pyops.ts';
import { asDict, at, field } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';

/** `v.lower()` on an argument. */
export function lower(v: PyValue): string {
  if (typeof v !== 'string') {
    const t = v === null ? 'NoneType' : typeof v === 'number' ? 'int' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'list' : v instanceof Map ? 'dict' : 'float';
    throw new PyException('AttributeError', `'${t}' object has no attribute 'lower'`);
  }
  return v.toLowerCase();
}

export const findUserIdByNameZip = tool({
  name: 'find_user_id_by_name_zip',
  params: ['first_name', 'last_name', 'zip'],
  required: ['first_name', 'last_name', 'zip'],
  type: 'read',
  call(db, args) {
    for (const [userId, user] of asDict(at(db, 'users'), 'users')) {
      const name = field(user, 'name');
      if (
        lower(field(name, 'first_name')) === lower(arg(args, 'first_name')) &&
        lower(field(name, 'last_name')) === lower(arg(args, 'last_name')) &&
        field(field(user, 'address'), 'zip') === arg(args, 'zip')
      ) {
        return userId;
      }
    }
    throw valueError('User not found');
  },
});
