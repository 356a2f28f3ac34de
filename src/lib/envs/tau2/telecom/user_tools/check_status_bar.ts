import { tool } from '../../toolkit.ts';
import { statusBar } from '../device.ts';

export const checkStatusBar = tool({
  name: 'check_status_bar',
  params: [],
  required: [],
  type: 'read',
  schema: {
    description: "Shows what icons are currently visible in your phone's status bar (the area at the top of the screen). Displays network signal strength, mobile data status (enabled, disabled, data saver), Wi-Fi status, and battery level.",
    parameters: { properties: {}, title: 'parameters', type: 'object' },
  },
  call: (db) => `Status Bar: ${statusBar(db)}`,
});
