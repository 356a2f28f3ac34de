import { truthy } from '../../../tau-bench/pyops.ts';
import { field, s } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { device, simStatus } from '../device.ts';

export const checkNetworkStatus = tool({
  name: 'check_network_status',
  params: [],
  required: [],
  type: 'read',
  call(db) {
    const d = device(db);
    const yes = (name: string, y: string, n: string): string => (truthy(field(d, name)) ? y : n);
    const lines = [
      `Airplane Mode: ${yes('airplane_mode', 'ON', 'OFF')}`,
      `SIM Card Status: ${s(simStatus(db))}`,
      `Cellular Connection: ${s(field(d, 'network_connection_status'))}`,
      `Cellular Signal: ${s(field(d, 'network_signal_strength'))}`,
      `Cellular Network Type: ${s(field(d, 'network_technology_connected'))}`,
      `Mobile Data Enabled: ${yes('data_enabled', 'Yes', 'No')}`,
      `Data Roaming Enabled: ${yes('roaming_enabled', 'Yes', 'No')}`,
      `Wi-Fi Radio: ${yes('wifi_enabled', 'ON', 'OFF')}`,
      `Wi-Fi Connected: ${yes('wifi_connected', 'Yes', 'No')}`,
    ];
    if (truthy(field(d, 'wifi_connected'))) lines.push(`Connected Wi-Fi Network: ${s(field(d, 'wifi_ssid'))}`);
    return lines.join('\n');
  },
});
