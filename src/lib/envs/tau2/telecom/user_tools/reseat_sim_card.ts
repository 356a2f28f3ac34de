import { tool } from '../../toolkit.ts';
import { device, simulateNetworkSearch, withStatusBar } from '../device.ts';

export const reseatSimCard = tool({
  name: 'reseat_sim_card',
  params: [],
  required: [],
  type: 'write',
  call(db) {
    device(db).set('sim_card_missing', false);
    simulateNetworkSearch(db);
    return withStatusBar(db, 'SIM card re-seated successfully.');
  },
});
