import { s } from '../../pyhelp.ts';
import { arg, tool } from '../../toolkit.ts';
import { appStatus, granted, permissionsOf } from '../apps.ts';

export const checkAppStatus = tool({
  name: 'check_app_status',
  params: ['app_name'],
  required: ['app_name'],
  type: 'read',
  call(db, args) {
    const name = arg(args, 'app_name');
    const app = appStatus(db, name);
    if (app === null) return `App '${s(name)}' not found on this phone.`;
    const lines = [`Status for App: ${s(name)}`];
    const perms = granted(permissionsOf(app));
    if (perms.length === 0) lines.push(' - Permissions: None granted.');
    else lines.push(' - Permissions Granted:', ...perms.map((p) => `   - ${p}`));
    return lines.join('\n');
  },
});
