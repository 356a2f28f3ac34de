import { truthy } from '../../../tau-bench/pyops.ts';
import { field } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { device } from '../device.ts';

export const checkWifiCallingStatus = tool({
  name: 'check_wifi_calling_status',
  params: [],
  required: [],
  type: 'read',
  call: (db) => `Wi-Fi Calling is currently turned ${truthy(field(device(db), 'wifi_calling_enabled')) ? 'ON' : 'OFF'}.`,
});
