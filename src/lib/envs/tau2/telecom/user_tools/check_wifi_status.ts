import { truthy } from '../../../tau-bench/pyops.ts';
import { field, s } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { device } from '../device.ts';

export const checkWifiStatus = tool({
  name: 'check_wifi_status',
  params: [],
  required: [],
  type: 'read',
  call(db) {
    const d = device(db);
    if (!truthy(field(d, 'wifi_enabled'))) return 'Wi-Fi is turned OFF.';
    if (truthy(field(d, 'wifi_connected'))) return `Wi-Fi is ON and connected to '${s(field(d, 'wifi_ssid'))}'. Signal strength: ${s(field(d, 'wifi_signal_strength'))}.`;
    return 'Wi-Fi is ON but not connected to any network.';
  },
});
