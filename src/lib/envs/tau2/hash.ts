/**
 * tau2's DB hash (`DB.get_hash` → `get_pydantic_hash` → `get_dict_hash`):
 * sha256 hex of `json.dumps(model_dump(), sort_keys=True, default=str)`.
 * The environment compares the gold and predicted hashes for the DB reward.
 */
import { compareCodePoints } from '../tau-bench/hash.ts';
import { isFrozen } from './cow.ts';
import { PyFloat, floatRepr, intRepr, jsonString, type PyDict, type PyValue } from '../tau-bench/py.ts';

const HIGH = /[\ud800-\uffff]/;

function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return floatRepr(x);
}

const frozenText = new WeakMap<PyDict, string>();

/** Python `json.dumps(v, sort_keys=True)`. */
export function dumpsSorted(v: PyValue): string {
  let out = '';
  const keyText = new Map<string, string>();
  const walk = (x: PyValue): void => {
    if (x === null) out += 'null';
    else if (x === true) out += 'true';
    else if (x === false) out += 'false';
    else if (typeof x === 'number') out += Number.isSafeInteger(x) ? String(x) : intRepr(x);
    else if (typeof x === 'string') out += jsonString(x);
    else if (x instanceof PyFloat) out += jsonFloat(x.value);
    else if (Array.isArray(x)) {
      out += '[';
      for (let i = 0; i < x.length; i++) {
        if (i > 0) out += ', ';
        walk(x[i] ?? null);
      }
      out += ']';
    } else {
      if (isFrozen(x)) {
        // A template record never changes: its text is computed once (see cow.ts).
        let text = frozenText.get(x);
        if (text === undefined) {
          const saved = out;
          out = '';
          walkDict(x);
          text = out;
          out = saved;
          frozenText.set(x, text);
        }
        out += text;
      } else walkDict(x);
    }
  };
  const walkDict = (x: PyDict): void => {
    {
      // (block kept flat for the diff)
      const keys = [...x.keys()];
      // Native order is code point order unless a key holds surrogates or U+E000..U+FFFF.
      if (keys.some((k) => HIGH.test(k))) keys.sort(compareCodePoints);
      else keys.sort();
      out += '{';
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] ?? '';
        if (i > 0) out += ', ';
        let kt = keyText.get(k);
        if (kt === undefined) {
          kt = `${jsonString(k)}: `;
          if (keyText.size < 4096) keyText.set(k, kt);
        }
        out += kt;
        walk(x.get(k) ?? null);
      }
      out += '}';
    }
  };
  walk(v);
  return out;
}

/** `get_dict_hash(v)`: sha256 hex of the sorted dump. */
export async function dictHash(v: PyValue): Promise<string> {
  const bytes = new TextEncoder().encode(dumpsSorted(v));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
