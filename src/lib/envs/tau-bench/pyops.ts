/**
 * Python operator semantics the tools rely on, with Python's exception texts:
 * a tool that raises becomes the observation `Error: <str(exception)>`, so a
 * KeyError on a missing field must read `Error: 'flight_number'`, exactly.
 */
import { PyFloat, isDict, pyRepr, roundFloat, typeName, type PyDict, type PyValue } from './py.ts';
import { compareCodePoints } from './hash.ts';

type PyExceptionType =
  | 'TypeError'
  | 'KeyError'
  | 'IndexError'
  | 'ValueError'
  | 'AttributeError'
  | 'ZeroDivisionError'
  | 'OverflowError'
  | 'SyntaxError';

/** A Python exception; `message` is what `str(e)` prints. */
export class PyException extends Error {
  override name = 'PyException';
  constructor(
    readonly pyType: PyExceptionType,
    message: string,
  ) {
    super(message);
  }
}

export const typeError = (msg: string): PyException => new PyException('TypeError', msg);

type PyNum = number | boolean | PyFloat;

export function isNum(v: PyValue): v is PyNum {
  return typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
}

function numValue(v: PyNum): number {
  if (v instanceof PyFloat) return v.value;
  return typeof v === 'boolean' ? Number(v) : v;
}

/** `obj[key]` */
export function getItem(obj: PyValue, key: PyValue): PyValue {
  if (isDict(obj)) {
    hashable(key);
    if (typeof key === 'string') {
      const v = obj.get(key);
      if (v !== undefined) return v;
    }
    throw new PyException('KeyError', pyRepr(key));
  }
  if (Array.isArray(obj) || typeof obj === 'string') {
    if (typeof key === 'number' || typeof key === 'boolean') {
      const len = typeof obj === 'string' ? [...obj].length : obj.length;
      let idx = Number(key);
      if (idx < 0) idx += len;
      if (idx < 0 || idx >= len) {
        throw new PyException('IndexError', `${Array.isArray(obj) ? 'list' : 'string'} index out of range`);
      }
      const v = typeof obj === 'string' ? [...obj][idx] : obj[idx];
      return v ?? null;
    }
    if (Array.isArray(obj)) throw typeError(`list indices must be integers or slices, not ${typeName(key)}`);
    throw typeError(`string indices must be integers, not '${typeName(key)}'`);
  }
  throw typeError(`'${typeName(obj)}' object is not subscriptable`);
}

/** `obj[key] = value` */
export function setItem(obj: PyValue, key: string, value: PyValue): void {
  if (isDict(obj)) {
    obj.set(key, value);
    return;
  }
  if (Array.isArray(obj)) throw typeError(`list indices must be integers or slices, not str`);
  throw typeError(`'${typeName(obj)}' object does not support item assignment`);
}

/** `del obj[key]` */
export function delItem(obj: PyValue, key: string): void {
  if (!isDict(obj)) throw typeError(`'${typeName(obj)}' object does not support item deletion`);
  if (!obj.delete(key)) throw new PyException('KeyError', pyRepr(key));
}

function hashable(v: PyValue): void {
  if (Array.isArray(v) || isDict(v)) throw typeError(`unhashable type: '${typeName(v)}'`);
}

/** `item in container` */
export function contains(container: PyValue, item: PyValue): boolean {
  if (isDict(container)) {
    hashable(item);
    return typeof item === 'string' && container.has(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEq(x, item));
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw typeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  throw typeError(`argument of type '${typeName(container)}' is not iterable`);
}

/** `a == b` */
export function pyEq(a: PyValue, b: PyValue): boolean {
  if (isNum(a) && isNum(b)) return numValue(a) === numValue(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEq(x, b[i] ?? null));
  if (isDict(a) && isDict(b)) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      const w = b.get(k);
      if (w === undefined || !pyEq(v, w)) return false;
    }
    return true;
  }
  return a === b;
}

/** `len(v)` */
export function len(v: PyValue): number {
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isDict(v)) return v.size;
  throw typeError(`object of type '${typeName(v)}' has no len()`);
}

/** `for x in v` */
export function iter(v: PyValue): PyValue[] {
  if (Array.isArray(v)) return v;
  if (isDict(v)) return [...v.keys()];
  if (typeof v === 'string') return [...v];
  throw typeError(`'${typeName(v)}' object is not iterable`);
}

/** `d.values()` / `d.items()` on something that should be a dict. */
export function dictOf(v: PyValue, method: 'values' | 'items'): PyDict {
  if (isDict(v)) return v;
  throw new PyException('AttributeError', `'${typeName(v)}' object has no attribute '${method}'`);
}

/** `seq.count(x)` */
export function count(seq: PyValue, x: PyValue): number {
  if (Array.isArray(seq)) return seq.filter((y) => pyEq(y, x)).length;
  if (typeof seq === 'string') {
    if (typeof x !== 'string') throw typeError(`must be str, not ${typeName(x)}`);
    if (x === '') return [...seq].length + 1;
    return seq.split(x).length - 1;
  }
  throw new PyException('AttributeError', `'${typeName(seq)}' object has no attribute 'count'`);
}

type BinOp = '+' | '-' | '*';

/**
 * `a + b`, `a - b`, `a * b` (bool counts as int; ints stay ints). `label` is
 * the operator as the error names it: augmented assignments say '+='.
 */
function arith(op: BinOp, a: PyValue, b: PyValue, label: string = op): PyValue {
  if (isNum(a) && isNum(b)) {
    const x = numValue(a);
    const y = numValue(b);
    const r = op === '+' ? x + y : op === '-' ? x - y : x * y;
    return a instanceof PyFloat || b instanceof PyFloat ? new PyFloat(r) : r;
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (op === '*') {
    // Sequence repetition: 'ab' * 2, [x] * 2.
    const [seq, times] = typeof a === 'string' || Array.isArray(a) ? [a, b] : [b, a];
    if ((typeof seq === 'string' || Array.isArray(seq)) && (typeof times === 'number' || typeof times === 'boolean')) {
      const k = Math.max(0, Number(times));
      return typeof seq === 'string' ? seq.repeat(k) : Array.from({ length: k }, () => seq).flat();
    }
    if (typeof seq === 'string' || Array.isArray(seq)) throw typeError(`can't multiply sequence by non-int of type '${typeName(times)}'`);
  }
  if (op === '+' && typeof a === 'string') throw typeError(`can only concatenate str (not "${typeName(b)}") to str`);
  if (op === '+' && Array.isArray(a)) throw typeError(`can only concatenate list (not "${typeName(b)}") to list`);
  throw typeError(`unsupported operand type(s) for ${label}: '${typeName(a)}' and '${typeName(b)}'`);
}

export const add = (a: PyValue, b: PyValue): PyValue => arith('+', a, b);
export const sub = (a: PyValue, b: PyValue): PyValue => arith('-', a, b);
export const mul = (a: PyValue, b: PyValue): PyValue => arith('*', a, b);
/** `a += b` */
export const iadd = (a: PyValue, b: PyValue): PyValue => arith('+', a, b, '+=');
/** `a -= b` */
export const isub = (a: PyValue, b: PyValue): PyValue => arith('-', a, b, '-=');

/** `-a` */
export function neg(a: PyValue): PyValue {
  if (a instanceof PyFloat) return new PyFloat(-a.value);
  if (typeof a === 'number' || typeof a === 'boolean') return -Number(a) || 0; // Python int has no -0
  throw typeError(`bad operand type for unary -: '${typeName(a)}'`);
}

/** `abs(a)` */
export function pyAbs(a: PyValue): PyValue {
  if (a instanceof PyFloat) return new PyFloat(Math.abs(a.value));
  if (typeof a === 'number' || typeof a === 'boolean') return Math.abs(Number(a));
  throw typeError(`bad operand type for abs(): '${typeName(a)}'`);
}

/** `sum(items)` (start 0) */
export function pySum(items: PyValue[]): PyValue {
  return items.reduce<PyValue>((acc, x) => {
    if (typeof x === 'string') throw typeError(`unsupported operand type(s) for +: '${typeName(acc)}' and 'str'`);
    return add(acc, x);
  }, 0);
}

/** `a < b` (and `>` by swapping): numbers with numbers, str with str, lists elementwise. */
export function lt(a: PyValue, b: PyValue, op: '<' | '>' = '<'): boolean {
  if (isNum(a) && isNum(b)) return numValue(a) < numValue(b);
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b) < 0;
  const [l, r] = op === '<' ? [a, b] : [b, a];
  throw typeError(`'${op}' not supported between instances of '${typeName(l)}' and '${typeName(r)}'`);
}

/** `a > b` */
export const gt = (a: PyValue, b: PyValue): boolean => lt(b, a, '>');

/** `max(a, b)`: the first of equal maxima. */
export function pyMax(a: PyValue, b: PyValue): PyValue {
  return gt(b, a) ? b : a;
}

/** `sorted(v)` */
export function sorted(v: PyValue): PyValue[] {
  const items = [...iter(v)];
  // Python's sort is stable and only uses '<'; so is this.
  return items.sort((x, y) => (lt(x, y) ? -1 : lt(y, x) ? 1 : 0));
}

/** Python truthiness, as `if x:` sees it. */
export function truthy(v: PyValue): boolean {
  if (v === null || v === false) return false;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return v.size > 0;
  return true;
}

/** `zip(a, b)` */
export function zip(a: PyValue, b: PyValue): Array<[PyValue, PyValue]> {
  const x = iter(a);
  const y = iter(b);
  const n = Math.min(x.length, y.length);
  const out: Array<[PyValue, PyValue]> = [];
  for (let i = 0; i < n; i++) out.push([x[i] ?? null, y[i] ?? null]);
  return out;
}

/** `round(v, ndigits)` */
export function pyRoundValue(v: PyValue, ndigits = 2): PyValue {
  if (v instanceof PyFloat) return new PyFloat(roundFloat(v.value, ndigits));
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return Number(v);
  throw typeError(`type ${typeName(v)} doesn't define __round__ method`);
}

/** `list.append(x)` / `list.extend(xs)` */
export function append(list: PyValue, ...items: PyValue[]): void {
  if (!Array.isArray(list)) throw new PyException('AttributeError', `'${typeName(list)}' object has no attribute 'append'`);
  list.push(...items);
}

export function extend(list: PyValue, items: PyValue[]): void {
  if (!Array.isArray(list)) throw new PyException('AttributeError', `'${typeName(list)}' object has no attribute 'extend'`);
  list.push(...items);
}

/** `s.lower()` */
export function lower(s: PyValue): string {
  if (typeof s !== 'string') throw new PyException('AttributeError', `'${typeName(s)}' object has no attribute 'lower'`);
  return s.toLowerCase();
}

/** A dict literal, in source order. */
export function dict(entries: Array<[string, PyValue]>): PyDict {
  return new Map(entries);
}
