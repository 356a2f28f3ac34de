import { s } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { simStatus } from '../device.ts';

const TEXT: Record<string, string> = {
  active: 'Your SIM card is active and working.',
  missing: 'No SIM card detected in the phone.',
  locked_pin: 'The SIM card is locked with a PIN code.',
  locked_puk: 'The SIM card is locked with a PUK code.',
};

export const checkSimStatus = tool({
  name: 'check_sim_status',
  params: [],
  required: [],
  type: 'read',
  call(db) {
    const status = simStatus(db);
    return TEXT[String(status)] ?? `Unknown SIM status: ${s(status)}`;
  },
});
