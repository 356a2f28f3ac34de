/**
 * tau2's DB hash (`DB.get_hash` → `get_pydantic_hash` → `get_dict_hash`):
 * sha256 hex of `json.dumps(model_dump(), sort_keys=True, default=str)`.
 * The environment compares the gold and predicted hashes for the DB reward.
 */
import { compareCodePoints } from '../tau-bench/hash.ts';
import { PyFloat, floatRepr, intRepr, jsonString, type PyValue } from '../tau-bench/py.ts';

function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return floatRepr(x);
}

/** Python `json.dumps(v, sort_keys=True)`. */
export function dumpsSorted(v: PyValue): string {
  const parts: string[] = [];
  const walk = (x: PyValue): void => {
    if (x === null) parts.push('null');
    else if (x === true) parts.push('true');
    else if (x === false) parts.push('false');
    else if (typeof x === 'number') parts.push(intRepr(x));
    else if (typeof x === 'string') parts.push(jsonString(x));
    else if (x instanceof PyFloat) parts.push(jsonFloat(x.value));
    else if (Array.isArray(x)) {
      parts.push('[');
      x.forEach((item, i) => {
        if (i > 0) parts.push(', ');
        walk(item);
      });
      parts.push(']');
    } else {
      const keys = [...x.keys()].sort(compareCodePoints);
      parts.push('{');
      keys.forEach((k, i) => {
        if (i > 0) parts.push(', ');
        parts.push(jsonString(k), ': ');
        walk(x.get(k) ?? null);
      });
      parts.push('}');
    }
  };
  walk(v);
  return parts.join('');
}

/** `get_dict_hash(v)`: sha256 hex of the sorted dump. */
export async function dictHash(v: PyValue): Promise<string> {
  const bytes = new TextEncoder().encode(dumpsSorted(v));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
