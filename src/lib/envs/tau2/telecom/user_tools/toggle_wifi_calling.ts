import { tool } from '../../toolkit.ts';
import { toggleWifiCalling, withStatusBar } from '../device.ts';

export const toggleWifiCallingTool = tool({
  name: 'toggle_wifi_calling',
  params: [],
  required: [],
  type: 'write',
  schema: {
    description: 'Toggles Wi-Fi Calling ON or OFF. This feature allows you to make and receive calls over Wi-Fi instead of the cellular network, which can help in areas with weak cellular signal.\n\nReturns the new Wi-Fi Calling status.',
    parameters: { properties: {}, title: 'parameters', type: 'object' },
  },
  call: (db) => withStatusBar(db, `Wi-Fi Calling is now ${toggleWifiCalling(db) ? 'ON' : 'OFF'}.`),
});
