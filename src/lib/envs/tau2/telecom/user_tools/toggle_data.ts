import { tool } from '../../toolkit.ts';
import { toggleData, withStatusBar } from '../device.ts';

export const toggleDataTool = tool({
  name: 'toggle_data',
  params: [],
  required: [],
  type: 'write',
  call: (db) => withStatusBar(db, `Mobile Data is now ${toggleData(db) ? 'ON' : 'OFF'}.`),
});
