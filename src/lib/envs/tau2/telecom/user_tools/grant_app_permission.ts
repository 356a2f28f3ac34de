import { arg, tool } from '../../toolkit.ts';
import { setPermission } from '../apps.ts';
import { withStatusBar } from '../device.ts';

export const grantAppPermission = tool({
  name: 'grant_app_permission',
  params: ['app_name', 'permission'],
  required: ['app_name', 'permission'],
  type: 'write',
  call(db, args) {
    const [ok, message] = setPermission(db, arg(args, 'app_name'), arg(args, 'permission'), true);
    return withStatusBar(db, `${ok ? 'Success. ' : 'Error. '}${message}`);
  },
});
