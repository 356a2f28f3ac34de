import { calculate } from '../../calc.ts';
import { contains, iter } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

const ALLOWED = '0123456789+-*/(). ';

export const calculateTool: TauTool = {
  name: 'calculate',
  pyClass: 'Calculate',
  pyModule: 'tau_bench.envs.retail.tools.calculate',
  required: ['expression'],
  optional: [],
  invoke(_data, args) {
    const expression = arg(args, 'expression');
    if (typeof expression === 'string') return calculate(expression);
    // Not a string: the character filter runs (and may raise), then eval refuses it.
    for (const ch of iter(expression)) {
      if (!contains(ALLOWED, ch)) return 'Error: invalid characters in expression';
    }
    return 'Error: eval() arg 1 must be a string, bytes or code object';
  },
};
