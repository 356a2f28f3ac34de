import { tool } from '../../toolkit.ts';

export const transferToHumanAgents = tool({
  name: 'transfer_to_human_agents',
  params: ['summary'],
  required: ['summary'],
  type: 'generic',
  call: () => 'Transfer successful',
});
