import { field, s } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { device } from '../device.ts';

export const checkNetworkModePreference = tool({
  name: 'check_network_mode_preference',
  params: [],
  required: [],
  type: 'read',
  schema: {
    description: 'Shows the current network mode preference.',
    parameters: { properties: {}, title: 'parameters', type: 'object' },
  },
  call: (db) => `Network Mode Preference: ${s(field(device(db), 'network_mode_preference'))}`,
});
