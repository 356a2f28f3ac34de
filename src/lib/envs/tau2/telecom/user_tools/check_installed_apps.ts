import { asDict, field } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { device } from '../device.ts';

export const checkInstalledApps = tool({
  name: 'check_installed_apps',
  params: [],
  required: [],
  type: 'read',
  call: (db) => `The following apps are installed on the phone: ${[...asDict(field(device(db), 'app_statuses'), 'app_statuses').keys()].join(', ')}`,
});
