import { tool } from '../../toolkit.ts';
import { device, simulateNetworkSearch, withStatusBar } from '../device.ts';

export const reseatSimCard = tool({
  name: 'reseat_sim_card',
  params: [],
  required: [],
  type: 'write',
  schema: {
    description: 'Simulates removing and reinserting your SIM card. This can help resolve recognition issues.',
    parameters: { properties: {}, title: 'parameters', type: 'object' },
  },
  call(db) {
    device(db).set('sim_card_missing', false);
    simulateNetworkSearch(db);
    return withStatusBar(db, 'SIM card re-seated successfully.');
  },
});
