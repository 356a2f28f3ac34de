import { tool } from '../../toolkit.ts';
import { toggleDataSaverMode, withStatusBar } from '../device.ts';

export const toggleDataSaverModeTool = tool({
  name: 'toggle_data_saver_mode',
  params: [],
  required: [],
  type: 'write',
  schema: {
    description: 'Toggles Data Saver mode ON or OFF. When ON, it reduces data usage, which may affect data speed.\n\nReturns the new data saver mode status.',
    parameters: { properties: {}, title: 'parameters', type: 'object' },
  },
  call: (db) => withStatusBar(db, `Data Saver Mode is now ${toggleDataSaverMode(db) ? 'ON' : 'OFF'}.`),
});
