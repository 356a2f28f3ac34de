import { truthy } from '../../../tau-bench/pyops.ts';
import { field } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { device } from '../device.ts';

export const checkDataRestrictionStatus = tool({
  name: 'check_data_restriction_status',
  params: [],
  required: [],
  type: 'read',
  call: (db) => (truthy(field(device(db), 'data_saver_mode')) ? 'Data Saver mode is ON (limits data usage).' : 'Data Saver mode is OFF.'),
});
