import { s } from '../../pyhelp.ts';
import { arg, tool } from '../../toolkit.ts';
import { appStatus, granted, permissionsOf } from '../apps.ts';

export const checkAppPermissions = tool({
  name: 'check_app_permissions',
  params: ['app_name'],
  required: ['app_name'],
  type: 'read',
  call(db, args) {
    const name = arg(args, 'app_name');
    const app = appStatus(db, name);
    if (app === null) return `App '${s(name)}' not found on this phone.`;
    const perms = granted(permissionsOf(app));
    if (perms.length === 0) return `App '${s(name)}' currently has no permissions granted.`;
    return `App '${s(name)}' has permission for: ${perms.join(', ')}.`;
  },
});
