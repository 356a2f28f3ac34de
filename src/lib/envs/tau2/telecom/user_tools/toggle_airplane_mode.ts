import { tool } from '../../toolkit.ts';
import { toggleAirplaneMode, withStatusBar } from '../device.ts';

export const toggleAirplaneModeTool = tool({
  name: 'toggle_airplane_mode',
  params: [],
  required: [],
  type: 'write',
  call: (db) => withStatusBar(db, `Airplane Mode is now ${toggleAirplaneMode(db) ? 'ON' : 'OFF'}.`),
});
