import { truthy } from '../../../tau-bench/pyops.ts';
import { field } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { device } from '../device.ts';

export const checkWifiCallingStatus = tool({
  name: 'check_wifi_calling_status',
  params: [],
  required: [],
  type: 'read',
  schema: {
    description: 'Checks if Wi-Fi Calling is enabled on your device. This feature allows you to make and receive calls over a Wi-Fi network instead of using the cellular network.',
    parameters: { properties: {}, title: 'parameters', type: 'object' },
  },
  call: (db) => `Wi-Fi Calling is currently turned ${truthy(field(device(db), 'wifi_calling_enabled')) ? 'ON' : 'OFF'}.`,
});
