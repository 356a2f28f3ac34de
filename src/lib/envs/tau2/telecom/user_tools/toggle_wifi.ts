import { tool } from '../../toolkit.ts';
import { toggleWifi, withStatusBar } from '../device.ts';

export const toggleWifiTool = tool({
  name: 'toggle_wifi',
  params: [],
  required: [],
  type: 'write',
  schema: {
    description: "Toggles your phone's Wi-Fi radio ON or OFF. Controls whether your phone can discover and connect to wireless networks for internet access.\n\nReturns the new Wi-Fi status.",
    parameters: { properties: {}, title: 'parameters', type: 'object' },
  },
  call(db) {
    const next = toggleWifi(db);
    if (next === null) return withStatusBar(db, 'Cannot change Wi-Fi settings while Airplane Mode is ON.');
    return withStatusBar(db, `Wi-Fi is now ${next ? 'ON' : 'OFF'}.`);
  },
});
