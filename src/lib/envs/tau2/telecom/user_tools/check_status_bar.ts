import { tool } from '../../toolkit.ts';
import { statusBar } from '../device.ts';

export const checkStatusBar = tool({
  name: 'check_status_bar',
  params: [],
  required: [],
  type: 'read',
  call: (db) => `Status Bar: ${statusBar(db)}`,
});
