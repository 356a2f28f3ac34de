import type { TauTool } from '../../tool.ts';

export const transferToHumanAgents: TauTool = {
  name: 'transfer_to_human_agents',
  pyClass: 'TransferToHumanAgents',
  pyModule: 'tau_bench.envs.retail.tools.transfer_to_human_agents',
  required: ['summary'],
  optional: [],
  invoke() {
    return 'Transfer successful';
  },
};
