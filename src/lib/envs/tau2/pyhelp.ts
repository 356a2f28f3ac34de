/** Small Python-semantics helpers the tau2 tools share (attribute access on dumped models, membership, str()). */
import { isDict, pyRepr, pyStr, type PyDict, type PyValue } from '../tau-bench/py.ts';
import { PyException, contains } from '../tau-bench/pyops.ts';
import { own } from './cow.ts';

/** `model.field` on a stored model (a dict in schema order). */
export function field(model: PyValue, name: string): PyValue {
  if (!isDict(model)) throw new PyException('AttributeError', `'${typeof model}' object has no attribute '${name}'`);
  const v = model.get(name);
  if (v === undefined) throw new PyException('AttributeError', `object has no attribute '${name}'`);
  return v;
}

export function asDict(v: PyValue, what: string): PyDict {
  if (!isDict(v)) throw new PyException('AttributeError', `'${what}' is not a dict`);
  return v;
}

export function asList(v: PyValue, what: string): PyValue[] {
  if (!Array.isArray(v)) throw new PyException('AttributeError', `'${what}' is not a list`);
  return v;
}

/** `key in d` for a dict of models keyed by str (unhashable keys raise TypeError as in Python). */
export function has(d: PyDict, key: PyValue): boolean {
  return contains(d, key);
}

/** f-string interpolation: `str(v)`. */
export const s = (v: PyValue): string => pyStr(v);

/** `d[key]` for a key known present (a template record is copied in first: see cow.ts). */
export function at(d: PyDict, key: PyValue): PyValue {
  const v = typeof key === 'string' ? own(d, key) : undefined;
  if (v === undefined) throw new PyException('KeyError', pyRepr(key));
  return v;
}
