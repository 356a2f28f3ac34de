import { tool } from '../../toolkit.ts';
import { toggleData, withStatusBar } from '../device.ts';

export const toggleDataTool = tool({
  name: 'toggle_data',
  params: [],
  required: [],
  type: 'write',
  schema: {
    description: "Toggles your phone's mobile data connection ON or OFF. Controls whether your phone can use cellular data for internet access when Wi-Fi is unavailable.\n\nReturns the new data connection status.",
    parameters: { properties: {}, title: 'parameters', type: 'object' },
  },
  call: (db) => withStatusBar(db, `Mobile Data is now ${toggleData(db) ? 'ON' : 'OFF'}.`),
});
