import { field, s } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { device } from '../device.ts';

export const checkNetworkModePreference = tool({
  name: 'check_network_mode_preference',
  params: [],
  required: [],
  type: 'read',
  call: (db) => `Network Mode Preference: ${s(field(device(db), 'network_mode_preference'))}`,
});
