import { arg, tool } from '../../toolkit.ts';
import { setPermission } from '../apps.ts';
import { withStatusBar } from '../device.ts';

export const grantAppPermission = tool({
  name: 'grant_app_permission',
  params: ['app_name', 'permission'],
  required: ['app_name', 'permission'],
  type: 'write',
  schema: {
    description: 'Gives a specific permission to an app (like access to storage, camera, or location). Required for some app functions to work properly.',
    parameters: {
      properties: {
        app_name: { description: 'The name of the app to grant the permission to.', title: 'App Name', type: 'string' },
        permission: { description: 'The permission to grant, should be lowercase.', title: 'Permission', type: 'string' },
      },
      required: ['app_name', 'permission'],
      title: 'parameters',
      type: 'object',
    },
  },
  call(db, args) {
    const [ok, message] = setPermission(db, arg(args, 'app_name'), arg(args, 'permission'), true);
    return withStatusBar(db, `${ok ? 'Success. ' : 'Error. '}${message}`);
  },
});
