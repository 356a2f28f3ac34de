import { tool } from '../../toolkit.ts';
import { toggleWifiCalling, withStatusBar } from '../device.ts';

export const toggleWifiCallingTool = tool({
  name: 'toggle_wifi_calling',
  params: [],
  required: [],
  type: 'write',
  call: (db) => withStatusBar(db, `Wi-Fi Calling is now ${toggleWifiCalling(db) ? 'ON' : 'OFF'}.`),
});
