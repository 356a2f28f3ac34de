import { tool } from '../../toolkit.ts';
import { toggleWifi, withStatusBar } from '../device.ts';

export const toggleWifiTool = tool({
  name: 'toggle_wifi',
  params: [],
  required: [],
  type: 'write',
  call(db) {
    const next = toggleWifi(db);
    if (next === null) return withStatusBar(db, 'Cannot change Wi-Fi settings while Airplane Mode is ON.');
    return withStatusBar(db, `Wi-Fi is now ${next ? 'ON' : 'OFF'}.`);
  },
});
