import { tool } from '../../toolkit.ts';
import { toggleDataSaverMode, withStatusBar } from '../device.ts';

export const toggleDataSaverModeTool = tool({
  name: 'toggle_data_saver_mode',
  params: [],
  required: [],
  type: 'write',
  call: (db) => withStatusBar(db, `Data Saver Mode is now ${toggleDataSaverMode(db) ? 'ON' : 'OFF'}.`),
});
