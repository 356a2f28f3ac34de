import { describe, expect, it } from 'vitest';
import { calculate } from './calc.ts';

// Expected values: Python 3.11's `str(round(float(eval(e, {"__builtins__": None}, {})), 2))`,
// with `Error: {e}` for exceptions, exactly as the original's Calculate tool.
describe('calculate without eval', () => {
  it.each([
    ['2 + 2', '4.0'],
    ['2 ** 3 ** 2', '512.0'], // right-associative
    ['-2**2', '-4.0'], // ** binds tighter than unary minus
    ['2**-1', '0.5'],
    ['7//2', '3.0'],
    ['-7//2', '-4.0'], // floor, not truncation
    ['7.5//2', '3.0'],
    ['5//-2', '-3.0'],
    ['-5.5//2', '-3.0'],
    ['10/3', '3.33'],
    ['2.675', '2.67'],
    ['0.125', '0.12'],
    ['0.375', '0.38'],
    ['99.995', '100.0'],
    ['0.1+0.2', '0.3'],
    ['((1+2)*3)', '9.0'],
    ['+-+1', '-1.0'],
    ['.5', '0.5'],
    ['5.', '5.0'],
    ['00', '0.0'],
    ['-0.001', '-0.0'],
    ['10**16', '1e+16'],
    ['12345678901234567890', '1.2345678901234567e+19'],
    ['2**53+1', '9007199254740992.0'], // exact int arithmetic, rounded once by float()
    ['10**400//10**399', '10.0'], // big ints stay exact
    ['2**1023*2.0', 'inf'],
    ['4**0.5', '2.0'],
    ['54.04 * 3 - 12.5', '149.62'],
  ])('%s -> %s', (expr, want) => {
    expect(calculate(expr)).toBe(want);
  });

  it.each([
    ['1e5', 'Error: invalid characters in expression'],
    ['5 % 2', 'Error: invalid characters in expression'],
    ['__import__("os")', 'Error: invalid characters in expression'],
    ['', 'Error: invalid syntax (<string>, line 0)'],
    ['2 +', 'Error: invalid syntax (<string>, line 1)'],
    ['1 2', 'Error: invalid syntax (<string>, line 1)'],
    ['(1 2)', 'Error: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)'],
    ['(2', "Error: '(' was never closed (<string>, line 1)"],
    ['1 2)', "Error: unmatched ')' (<string>, line 1)"],
    ['007', 'Error: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (<string>, line 1)'],
    ['(*1)', 'Error: cannot use starred expression here (<string>, line 1)'],
    ['1/0', 'Error: division by zero'],
    ['1.0/0', 'Error: float division by zero'],
    ['1//0', 'Error: integer division or modulo by zero'],
    ['1.0//0', 'Error: float floor division by zero'],
    ['0**-1', 'Error: 0.0 cannot be raised to a negative power'],
    ['(-8)**0.5', "Error: float() argument must be a string or a real number, not 'complex'"],
    ['2**10000', 'Error: int too large to convert to float'],
    ['10.0**400', "Error: (34, 'Numerical result out of range')"],
    ['()', "Error: float() argument must be a string or a real number, not 'tuple'"],
    ['()+1', 'Error: can only concatenate tuple (not "int") to tuple'],
    ['-()', "Error: bad operand type for unary -: 'tuple'"],
    ['(1)(2)', "Error: 'int' object is not callable"],
    ['1.5(2)', "Error: 'float' object is not callable"],
  ])('%s -> %s', (expr, want) => {
    expect(calculate(expr)).toBe(want);
  });

  it('does not hang on a huge power (Python would grind, then fail the float conversion)', () => {
    expect(calculate('9**9**9')).toBe('Error: int too large to convert to float');
  });
});
