import { tool } from '../../toolkit.ts';
import { canSendMms } from '../device.ts';

export const canSendMmsTool = tool({
  name: 'can_send_mms',
  params: [],
  required: [],
  type: 'read',
  call: (db) => canSendMms(db) ? 'Your messaging app can send MMS messages.' : 'Your messaging app cannot send MMS messages.',
});
