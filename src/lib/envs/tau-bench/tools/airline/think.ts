import type { TauTool } from '../../tool.ts';

export const think: TauTool = {
  name: 'think',
  pyClass: 'Think',
  pyModule: 'tau_bench.envs.airline.tools.think',
  required: ['thought'],
  optional: [],
  invoke() {
    return '';
  },
};
