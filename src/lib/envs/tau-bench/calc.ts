/**
 * The `calculate` tool without eval: `str(round(float(eval(expression)), 2))`
 * over the characters the original lets through (digits + - * / ( ) . and
 * space), with CPython 3.11's results and error texts. Ints are exact
 * (BigInt) as Python's are; `()` is the empty tuple and `x(...)` a call, both
 * legal Python that fail at run time with Python's messages.
 */
import { PyException, typeError } from './pyops.ts';
import { floatRepr, roundFloat } from './py.ts';

const ALLOWED = new Set('0123456789+-*/(). ');

type Val =
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'tuple' } // only the empty tuple can be written with these characters
  | { t: 'complex' }; // a negative number to a fractional power; it stays complex

type Tok = { k: 'num'; text: string } | { k: 'op'; text: string };

const syntax = (msg: string, line = 1): PyException => new PyException('SyntaxError', `${msg} (<string>, line ${line})`);

/** CPython's tokenizer; its errors win over parser errors, as in CPython. */
function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let depth = 0;
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (c === ' ') {
      i++;
      continue;
    }
    const num = /\d+\.?\d*|\.\d+/y;
    num.lastIndex = i;
    const m = num.exec(src);
    if (m) {
      const text = m[0];
      if (/^0\d*[1-9]\d*$/.test(text)) {
        throw syntax('leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers');
      }
      toks.push({ k: 'num', text });
      i += text.length;
      continue;
    }
    for (const op of ['**', '//', '*', '/', '+', '-', '(', ')', '.']) {
      if (src.startsWith(op, i)) {
        if (op === '(') depth++;
        if (op === ')') {
          if (depth === 0) throw syntax("unmatched ')'");
          depth--;
        }
        toks.push({ k: 'op', text: op });
        i += op.length;
        break;
      }
    }
  }
  if (depth > 0) throw syntax("'(' was never closed");
  return toks;
}

const typeOf = (x: Val): string => x.t;

function toFloat(x: Val): number {
  if (x.t === 'float') return x.v;
  if (x.t === 'int') {
    const f = Number(x.v); // BigInt -> Number rounds to nearest, ties to even, like int.__float__
    if (!Number.isFinite(f)) throw new PyException('OverflowError', 'int too large to convert to float');
    return f;
  }
  throw typeError(`float() argument must be a string or a real number, not '${x.t}'`);
}

function floorDivFloat(vx: number, wx: number): number {
  // CPython's float_floor_div (via float_divmod).
  if (wx === 0) throw new PyException('ZeroDivisionError', 'float floor division by zero');
  const mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod && wx < 0 !== mod < 0) div -= 1.0;
  if (div) {
    let floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
    return floordiv;
  }
  return vx / wx < 0 ? -0 : 0;
}

function intTrueDiv(a: bigint, b: bigint): number {
  if (b === 0n) throw new PyException('ZeroDivisionError', 'division by zero');
  const lim = 1n << 53n;
  const abs = (x: bigint): bigint => (x < 0n ? -x : x);
  if (abs(a) <= lim && abs(b) <= lim) return Number(a) / Number(b);
  // Big operands: scale to ~64 significant quotient bits, then let Number() round.
  const shift = BigInt(Math.max(0, 64 - (abs(a).toString(2).length - abs(b).toString(2).length)));
  const q = (a << shift) / b;
  const r = Number(q) / 2 ** Number(shift);
  if (!Number.isFinite(r)) throw new PyException('OverflowError', 'integer division result too large for a float');
  return r;
}

function floorDivInt(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new PyException('ZeroDivisionError', 'integer division or modulo by zero');
  const q = a / b;
  return (a % b !== 0n && a < 0n !== b < 0n) ? q - 1n : q;
}

function floatPow(x: number, y: number): Val {
  if (y === 0) return { t: 'float', v: 1 };
  if (x === 0 && y < 0) throw new PyException('ZeroDivisionError', '0.0 cannot be raised to a negative power');
  if (x < 0 && !Number.isInteger(y)) return { t: 'complex' };
  const r = Math.pow(x, y);
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) {
    throw new PyException('OverflowError', "(34, 'Numerical result out of range')");
  }
  return { t: 'float', v: r };
}

// A bigger int result cannot become a float anyway; stop before BigInt exhausts memory.
const MAX_INT_BITS = 1_000_000;

function unsupported(op: string, a: Val, b: Val): PyException {
  return typeError(`unsupported operand type(s) for ${op}: '${typeOf(a)}' and '${typeOf(b)}'`);
}

function binary(op: string, a: Val, b: Val): Val {
  if (a.t === 'complex' || b.t === 'complex') {
    if (op === '//') throw unsupported('//', a, b);
    if ((a.t === 'tuple' || b.t === 'tuple') && !(op === '*')) throw unsupported(op === '**' ? '** or pow()' : op, a, b);
    return { t: 'complex' };
  }
  if (a.t === 'tuple' || b.t === 'tuple') {
    if (op === '+' && a.t === 'tuple') {
      if (b.t === 'tuple') return a;
      throw typeError(`can only concatenate tuple (not "${typeOf(b)}") to tuple`);
    }
    if (op === '*') {
      const other = a.t === 'tuple' ? b : a;
      if (other.t !== 'int') throw typeError(`can't multiply sequence by non-int of type '${typeOf(other)}'`);
      return { t: 'tuple' };
    }
    throw unsupported(op === '**' ? '** or pow()' : op, a, b);
  }
  if (a.t === 'int' && b.t === 'int') {
    switch (op) {
      case '+': return { t: 'int', v: a.v + b.v };
      case '-': return { t: 'int', v: a.v - b.v };
      case '*': return { t: 'int', v: a.v * b.v };
      case '/': return { t: 'float', v: intTrueDiv(a.v, b.v) };
      case '//': return { t: 'int', v: floorDivInt(a.v, b.v) };
      default: {
        if (b.v < 0n) return floatPow(toFloat(a), toFloat(b));
        const base = a.v < 0n ? -a.v : a.v;
        if (base > 1n && Number(b.v) * base.toString(2).length > MAX_INT_BITS) {
          throw new PyException('OverflowError', 'int too large to convert to float');
        }
        return { t: 'int', v: a.v ** b.v };
      }
    }
  }
  const x = toFloat(a);
  const y = toFloat(b);
  switch (op) {
    case '+': return { t: 'float', v: x + y };
    case '-': return { t: 'float', v: x - y };
    case '*': return { t: 'float', v: x * y };
    case '/':
      if (y === 0) throw new PyException('ZeroDivisionError', 'float division by zero');
      return { t: 'float', v: x / y };
    case '//': return { t: 'float', v: floorDivFloat(x, y) };
    default: return floatPow(x, y);
  }
}

function unary(op: string, a: Val): Val {
  if (a.t === 'tuple') throw typeError(`bad operand type for unary ${op}: 'tuple'`);
  if (op === '+' || a.t === 'complex') return a;
  return a.t === 'int' ? { t: 'int', v: -a.v } : { t: 'float', v: -a.v };
}

function literal(text: string): Val {
  if (text.includes('.')) return { t: 'float', v: Number(text.endsWith('.') ? text.slice(0, -1) : text) };
  return { t: 'int', v: BigInt(text) };
}

function strOf(x: Val): string {
  if (x.t === 'int') return x.v.toString();
  if (x.t === 'float') return floatRepr(x.v);
  return x.t === 'tuple' ? '()' : 'complex';
}

/**
 * Recursive descent over Python's expression grammar restricted to these
 * tokens. Evaluation happens while parsing, so a run-time error raised left of
 * a syntax error would wrongly win; parsing therefore runs to completion first
 * (as CPython compiles before it runs) and evaluation is deferred in thunks.
 */
function compile(toks: Tok[]): () => Val {
  let pos = 0;
  let level = 0;
  const peek = (): Tok | undefined => toks[pos];
  const isOp = (t: Tok | undefined, text: string): boolean => t !== undefined && t.k === 'op' && t.text === text;
  const invalid = (): PyException => {
    // Two expressions side by side inside brackets get CPython's comma hint.
    const t = peek();
    if (level > 0 && t !== undefined && t.k === 'num' && pos > 0) return syntax('invalid syntax. Perhaps you forgot a comma?');
    return syntax('invalid syntax');
  };

  const expr = (): (() => Val) => {
    let left = term();
    for (;;) {
      const t = peek();
      if (isOp(t, '+') || isOp(t, '-')) {
        pos++;
        const op = t?.text ?? '+';
        const l = left;
        const r = term();
        left = () => {
          const a = l();
          return binary(op, a, r());
        };
      } else return left;
    }
  };
  const term = (): (() => Val) => {
    let left = factor();
    for (;;) {
      const t = peek();
      if (isOp(t, '*') || isOp(t, '/') || isOp(t, '//')) {
        pos++;
        const op = t?.text ?? '*';
        const l = left;
        const r = factor();
        left = () => {
          const a = l();
          return binary(op, a, r());
        };
      } else return left;
    }
  };
  const factor = (): (() => Val) => {
    const t = peek();
    if (isOp(t, '+') || isOp(t, '-')) {
      pos++;
      const op = t?.text ?? '+';
      const inner = factor();
      return () => unary(op, inner());
    }
    return power();
  };
  const power = (): (() => Val) => {
    const base = primary();
    if (isOp(peek(), '**')) {
      pos++;
      const exp = factor();
      return () => {
        const a = base();
        return binary('**', a, exp());
      };
    }
    return base;
  };
  const primary = (): (() => Val) => {
    let value = atom();
    while (isOp(peek(), '(')) {
      // A call: `x(...)` is legal syntax; calling a number fails at run time.
      pos++;
      level++;
      let starred = false;
      let argument: (() => Val) | undefined;
      if (!isOp(peek(), ')')) {
        if (isOp(peek(), '*')) {
          pos++;
          starred = true;
        }
        argument = expr();
      }
      if (!isOp(peek(), ')')) throw invalid();
      pos++;
      level--;
      const callee = value;
      const a = argument;
      value = () => {
        const f = callee();
        const x = a?.();
        if (starred && x && x.t !== 'tuple') {
          throw typeError(`${strOf(f)} argument after * must be an iterable, not ${typeOf(x)}`);
        }
        throw typeError(`'${typeOf(f)}' object is not callable`);
      };
    }
    return value;
  };
  const atom = (): (() => Val) => {
    const t = peek();
    if (t === undefined) throw invalid();
    if (t.k === 'num') {
      pos++;
      const v = literal(t.text);
      return () => v;
    }
    if (t.text === '(') {
      pos++;
      level++;
      if (isOp(peek(), ')')) {
        pos++;
        level--;
        return () => ({ t: 'tuple' });
      }
      if (isOp(peek(), '*') || isOp(peek(), '**')) {
        const star = peek()?.text;
        pos++;
        expr();
        if (isOp(peek(), ')')) {
          throw syntax(star === '**' ? 'cannot use double starred expression here' : 'cannot use starred expression here');
        }
        throw invalid();
      }
      const inner = expr();
      if (!isOp(peek(), ')')) throw invalid();
      pos++;
      level--;
      return inner;
    }
    throw invalid();
  };

  const whole = expr();
  if (pos < toks.length) throw invalid();
  return whole;
}

/** `Calculate.invoke`'s body for a string expression. */
export function calculate(expression: string): string {
  for (const ch of expression) if (!ALLOWED.has(ch)) return 'Error: invalid characters in expression';
  try {
    const toks = tokenize(expression);
    if (toks.length === 0) throw syntax('invalid syntax', 0);
    const value = compile(toks)();
    if (value.t === 'complex') throw typeError("float() argument must be a string or a real number, not 'complex'");
    return floatRepr(roundFloat(toFloat(value), 2));
  } catch (err) {
    if (err instanceof PyException) return `Error: ${err.message}`;
    throw err;
  }
}
