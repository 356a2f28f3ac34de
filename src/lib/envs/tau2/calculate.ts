/** tau2's `calculate` tool (same in airline and retail): ValueError on other characters, else v1's evaluator. */
import { calculate as evaluate } from '../tau-bench/calc.ts';
import { arg, tool, valueError } from './toolkit.ts';

const ALLOWED = new Set('0123456789+-*/(). ');

export const calculateTool = tool({
  name: 'calculate',
  params: ['expression'],
  required: ['expression'],
  type: 'generic',
  call(_db, args) {
    const expression = arg(args, 'expression');
    if (typeof expression !== 'string') throw valueError('Invalid characters in expression');
    for (const ch of expression) if (!ALLOWED.has(ch)) throw valueError('Invalid characters in expression');
    // The v1 evaluator returns Python's exception text as `Error: ...`, which is what tau2's get_response makes of it.
    return evaluate(expression);
  },
});
