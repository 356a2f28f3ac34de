import { truthy } from '../../../tau-bench/pyops.ts';
import { field, s } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { apnSettings } from '../device.ts';

export const checkApnSettings = tool({
  name: 'check_apn_settings',
  params: [],
  required: [],
  type: 'read',
  call(db) {
    const apn = apnSettings(db, 'model_copy');
    const name = field(apn, 'apn_name');
    const url = field(apn, 'mmsc_url');
    return `Current APN Name: ${truthy(name) ? s(name) : 'Not Set'}\nMMSC URL (for picture messages): ${truthy(url) ? s(url) : 'Not Set'}\n(These are technical settings, usually best left unchanged.)`;
  },
});
