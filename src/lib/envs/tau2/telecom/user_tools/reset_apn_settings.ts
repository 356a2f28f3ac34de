import { tool } from '../../toolkit.ts';
import { apnSettings, simulateNetworkSearch, withStatusBar } from '../device.ts';

export const resetApnSettings = tool({
  name: 'reset_apn_settings',
  params: [],
  required: [],
  type: 'write',
  call(db) {
    apnSettings(db, 'reset_at_reboot').set('reset_at_reboot', true);
    simulateNetworkSearch(db);
    return withStatusBar(db, 'APN settings will reset at reboot.');
  },
});
