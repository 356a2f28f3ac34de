import { tool } from '../../toolkit.ts';
import { toggleRoaming, withStatusBar } from '../device.ts';

export const toggleRoamingTool = tool({
  name: 'toggle_roaming',
  params: [],
  required: [],
  type: 'write',
  call: (db) => withStatusBar(db, `Data Roaming is now ${toggleRoaming(db) ? 'ON' : 'OFF'}.`),
});
