import { asDict, field } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { device, simulateNetworkSearch, withStatusBar } from '../device.ts';

export const resetApnSettings = tool({
  name: 'reset_apn_settings',
  params: [],
  required: [],
  type: 'write',
  schema: {
    description: 'Resets your APN settings to the default settings.',
    parameters: { properties: {}, title: 'parameters', type: 'object' },
  },
  call(db) {
    asDict(field(device(db), 'active_apn_settings'), 'active_apn_settings').set('reset_at_reboot', true);
    simulateNetworkSearch(db);
    return withStatusBar(db, 'APN settings will reset at reboot.');
  },
});
