/**
 * The original's reward compares `sha256(str(to_hashable(data)))`: dicts become
 * tuples of (key, value) pairs sorted by key, lists become tuples, and the
 * Python `str()` of that decides equality. `hashableEqual` decides the same
 * equality without building the multi-megabyte string; `dataHash` builds it
 * for the record (the original's `gt_data_hash`).
 */
import { PyFloat, floatRepr, intRepr, strRepr, type PyDict, type PyValue } from './py.ts';

/** Python compares str by code point; JS `<` compares UTF-16 units (differs only around surrogates). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1; // a surrogate starts an astral code point, above any BMP unit
    return x - y;
  }
  return a.length - b.length;
}

const HIGH = /[\ud800-\uffff]/;

function sortedEntries(d: PyDict): Array<[string, PyValue]> {
  const entries = [...d];
  // Native order equals code point order unless keys hold surrogates or U+E000..U+FFFF.
  if (entries.some(([k]) => HIGH.test(k))) return entries.sort((p, q) => compareCodePoints(p[0], q[0]));
  return entries.sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0));
}

/** Python `str(to_hashable(v))`. */
export function hashableRepr(v: PyValue): string {
  const parts: string[] = [];
  const walk = (x: PyValue): void => {
    if (x === null) parts.push('None');
    else if (x === true) parts.push('True');
    else if (x === false) parts.push('False');
    else if (typeof x === 'number') parts.push(intRepr(x));
    else if (typeof x === 'string') parts.push(strRepr(x));
    else if (x instanceof PyFloat) parts.push(floatRepr(x.value));
    else if (Array.isArray(x)) {
      parts.push('(');
      for (let i = 0; i < x.length; i++) {
        if (i > 0) parts.push(', ');
        walk(x[i] ?? null);
      }
      parts.push(x.length === 1 ? ',)' : ')');
    } else {
      const entries = sortedEntries(x);
      parts.push('(');
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        if (!e) continue;
        parts.push(i > 0 ? ', (' : '(', strRepr(e[0]), ', ');
        walk(e[1]);
        parts.push(')');
      }
      parts.push(entries.length === 1 ? ',)' : ')');
    }
  };
  walk(v);
  return parts.join('');
}

/** A (key, value) tuple of a dict's `to_hashable` form. */
class Pair {
  constructor(
    readonly key: string,
    readonly value: PyValue,
  ) {}
}
type Node = PyValue | Pair;

/** The tuple a node becomes, or undefined for scalars. A 2-list [k, v] and a pair print alike, so they compare alike. */
function children(n: Node): readonly Node[] | undefined {
  if (n instanceof Pair) return [n.key, n.value];
  if (Array.isArray(n)) return n;
  if (n instanceof Map) return sortedEntries(n).map(([k, x]) => new Pair(k, x));
  return undefined;
}

function nodeEqual(a: Node, b: Node): boolean {
  if (a === b) return true;
  if (a instanceof Map && b instanceof Map) {
    // Sorted (key, value) tuples with unique keys match iff the key sets and the values per key do.
    if (a.size !== b.size) return false;
    for (const [k, x] of a) {
      const y = b.get(k);
      if (y === undefined || !nodeEqual(x, y)) return false;
    }
    return true;
  }
  const x = children(a);
  const y = children(b);
  if (x || y) {
    if (!x || !y || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      const p = x[i];
      const q = y[i];
      if (p === undefined || q === undefined || !nodeEqual(p, q)) return false;
    }
    return true;
  }
  // Scalars print alike iff same type and value; floats by repr (so -0.0 != 0.0, nan == nan).
  if (a instanceof PyFloat && b instanceof PyFloat) return floatRepr(a.value) === floatRepr(b.value);
  return false;
}

/** `str(to_hashable(a)) == str(to_hashable(b))`, without building the strings. */
export function hashableEqual(a: PyValue, b: PyValue): boolean {
  return nodeEqual(a, b);
}

/** sha256 hex of `str(to_hashable(v))`, as the original's `get_data_hash`. */
export async function dataHash(v: PyValue): Promise<string> {
  const bytes = new TextEncoder().encode(hashableRepr(v));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
