import { truthy } from '../../../tau-bench/pyops.ts';
import { field } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { apnSettings, defaultApnSettings, device, simulateNetworkSearch, withStatusBar } from '../device.ts';

export const rebootDevice = tool({
  name: 'reboot_device',
  params: [],
  required: [],
  type: 'write',
  call(db) {
    const d = device(db);
    const lines: string[] = [];
    if (truthy(field(apnSettings(db, 'reset_at_reboot'), 'reset_at_reboot'))) {
      lines.push('Resetting APN settings...');
      d.set('active_apn_settings', defaultApnSettings());
    }
    lines.push('Restarting network services...');
    d.set('network_connection_status', 'searching');
    simulateNetworkSearch(db);
    return withStatusBar(db, lines.join('\n'));
  },
});
