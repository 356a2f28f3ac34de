import { tool } from '../../toolkit.ts';
import { toggleAirplaneMode, withStatusBar } from '../device.ts';

export const toggleAirplaneModeTool = tool({
  name: 'toggle_airplane_mode',
  params: [],
  required: [],
  type: 'write',
  schema: {
    description: 'Toggles Airplane Mode ON or OFF. When ON, it disconnects all wireless communications including cellular, Wi-Fi, and Bluetooth.\n\nReturns the new state of airplane_mode.',
    parameters: { properties: {}, title: 'parameters', type: 'object' },
  },
  call: (db) => withStatusBar(db, `Airplane Mode is now ${toggleAirplaneMode(db) ? 'ON' : 'OFF'}.`),
});
