/** tau2's `calculate` tool (same in airline and retail): ValueError on other characters, else v1's evaluator. */
import { calculate as evaluate } from '../tau-bench/calc.ts';
import { PyException } from '../tau-bench/pyops.ts';
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
    // The v1 evaluator returns Python's exception text as `Error: ...`; here that exception propagates
    // to get_response, which words it the same way and marks the observation as an error.
    const result = evaluate(expression);
    if (result.startsWith('Error: ')) throw new PyException('ValueError', result.slice('Error: '.length));
    return result;
  },
});
