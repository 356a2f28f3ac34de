import type { TauTool } from '../../tool.ts';
import { calculateTool as retailCalculate } from '../retail/calculate.ts';

// The airline module's calculate is a copy of the retail one.
export const calculateTool: TauTool = {
  ...retailCalculate,
  pyModule: 'tau_bench.envs.airline.tools.calculate',
};
