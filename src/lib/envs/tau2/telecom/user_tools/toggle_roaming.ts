import { tool } from '../../toolkit.ts';
import { toggleRoaming, withStatusBar } from '../device.ts';

export const toggleRoamingTool = tool({
  name: 'toggle_roaming',
  params: [],
  required: [],
  type: 'write',
  schema: {
    description: "Toggles Data Roaming ON or OFF. When ON, your phone can use data networks in areas outside your carrier's coverage.\n\nReturns the new data roaming status.",
    parameters: { properties: {}, title: 'parameters', type: 'object' },
  },
  call: (db) => withStatusBar(db, `Data Roaming is now ${toggleRoaming(db) ? 'ON' : 'OFF'}.`),
});
