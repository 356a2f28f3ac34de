/**
 * Python value model for the tau-bench port. The original tools run on data
 * loaded by Python's `json.load`, so observations and scores depend on three
 * things plain JS objects lose: dict insertion order (JS puts integer-like keys
 * first), the int/float distinction (`100` vs `100.0`), and Python's number
 * formatting and rounding. This module keeps all three: dicts are `Map`s,
 * floats are `PyFloat`, ints are plain numbers.
 */

/** A Python float; plain JS numbers in a `PyValue` are Python ints. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyDict = Map<string, PyValue>;
export type PyValue = null | boolean | number | string | PyFloat | PyValue[] | PyDict;

export function isDict(v: PyValue): v is PyDict {
  return v instanceof Map;
}

/** Python's type name, as exception messages print it. */
export function typeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'int';
  if (typeof v === 'string') return 'str';
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

// ---------------------------------------------------------------- floats

/** `repr(float)`: shortest round-trip digits, Python's switch to exponent form (< 1e-4 or >= 1e16). */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    // JS prints the same shortest digits in fixed notation here; Python adds '.0' to integral values.
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const sign = x < 0 ? '-' : '';
  const [mant = '', expText = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exp);
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fracPart = digits.slice(exp + 1);
  return `${sign}${intPart}.${fracPart || '0'}`;
}

/** `repr(int)`; ints beyond 2^53 cannot occur in the data, but print exactly when they do. */
export function intRepr(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
}

/**
 * Python's `round(x, ndigits)` for a float: round-half-even on the exact binary
 * value (so round(2.675, 2) == 2.67 because 2.675 is 2.67499999...), then the
 * nearest double to the decimal result.
 */
export function roundFloat(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = expBits === 0 ? frac : frac | (1n << 52n);
  const e = expBits === 0 ? -1074 : expBits - 1075;
  if (e >= 0 || ndigits > 400) return x; // already an integer / finer than any double
  let num = mant;
  let den = 1n << BigInt(-e);
  if (ndigits >= 0) num *= 10n ** BigInt(ndigits);
  else den *= 10n ** BigInt(-ndigits);
  let q = num / den;
  const twiceRem = 2n * (num % den);
  if (twiceRem > den || (twiceRem === den && (q & 1n) === 1n)) q += 1n;
  const text = ndigits >= 0 ? `${q}e-${ndigits}` : `${q}e${-ndigits}`;
  const r = Number(text);
  return negative ? -r : r;
}

// ---------------------------------------------------------------- json.loads

/** Thrown by `parseJson`; `path` is the field where parsing stopped. */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const NON_FINITE: ReadonlyArray<readonly [string, number]> = [
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
];

/**
 * `json.loads` as Python sees the text: objects become Maps in source order,
 * numbers with '.', 'e' or 'E' become PyFloat, others ints.
 */
export function parseJson(text: string): PyValue {
  let i = 0;
  const n = text.length;
  const fail = (msg: string): never => {
    throw new JsonSyntaxError(`${msg} at offset ${i}`, i);
  };
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= n) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c === 92) {
        out += text.slice(start, i);
        const esc = text[i + 1];
        i += 2;
        switch (esc) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            fail('bad escape');
        }
        start = i;
        continue;
      }
      if (c < 32) fail('control character in string');
      i++;
    }
  };
  const num = (): PyValue => {
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const r = m.exec(text);
    if (!r) return fail('unexpected character');
    i += r[0].length;
    const v = Number(r[0]);
    return r[1] !== undefined || r[2] !== undefined ? new PyFloat(v) : v;
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const map: PyDict = new Map();
      ws();
      if (text[i] === '}') {
        i++;
        return map;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected property name');
        const k = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        map.set(k, value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return map;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: PyValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    // json.loads accepts these three non-standard constants by default.
    for (const [word, x] of NON_FINITE) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return new PyFloat(x);
      }
    }
    return num();
  };
  const v = value();
  ws();
  if (i < n) fail('extra data');
  return v;
}

// ---------------------------------------------------------------- json.dumps

const HEX = '0123456789abcdef';

/** A JSON string literal with `ensure_ascii=True`: everything outside ' '..'~' escaped, lowercase hex. */
export function jsonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 34 && c !== 92) continue;
    out += s.slice(start, i);
    start = i + 1;
    if (c === 34) out += '\\"';
    else if (c === 92) out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else out += `\\u${HEX[(c >> 12) & 15]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
  }
  return `${out}${s.slice(start)}"`;
}

function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return floatRepr(x);
}

/**
 * Python `json.dumps(value)`: separators ', ' and ': ', ensure_ascii; with
 * `indent`, one item per line and ',' as item separator, as `json.dumps(v, indent=n)`.
 */
export function dumps(v: PyValue, indent?: number): string {
  const parts: string[] = [];
  const itemSep = indent === undefined ? ', ' : ',';
  const open = (depth: number): string => (indent === undefined ? '' : `\n${' '.repeat(indent * depth)}`);
  const walk = (x: PyValue, depth = 0): void => {
    if (x === null) parts.push('null');
    else if (x === true) parts.push('true');
    else if (x === false) parts.push('false');
    else if (typeof x === 'number') parts.push(intRepr(x));
    else if (typeof x === 'string') parts.push(jsonString(x));
    else if (x instanceof PyFloat) parts.push(jsonFloat(x.value));
    else if (Array.isArray(x)) {
      if (x.length === 0) {
        parts.push('[]');
        return;
      }
      parts.push('[');
      x.forEach((item, idx) => {
        if (idx > 0) parts.push(itemSep);
        parts.push(open(depth + 1));
        walk(item, depth + 1);
      });
      parts.push(open(depth), ']');
    } else {
      if (x.size === 0) {
        parts.push('{}');
        return;
      }
      parts.push('{');
      let first = true;
      for (const [k, item] of x) {
        if (!first) parts.push(itemSep);
        first = false;
        parts.push(open(depth + 1), jsonString(k), ': ');
        walk(item, depth + 1);
      }
      parts.push(open(depth), '}');
    }
  };
  walk(v);
  return parts.join('');
}

// ---------------------------------------------------------------- repr / str

// Python's str.isprintable() is false for these categories (space excepted).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

// Printable ASCII without quotes or backslashes: repr just adds quotes.
const PLAIN = /^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/;

/** `repr(str)`: Python's quote choice and escapes. */
export function strRepr(s: string): string {
  if (PLAIN.test(s)) return `'${s}'`;
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c < 0x7f || c === 0x20) out += ch;
    else if (NON_PRINTABLE.test(ch)) {
      if (c <= 0xff) out += `\\x${c.toString(16).padStart(2, '0')}`;
      else if (c <= 0xffff) out += `\\u${c.toString(16).padStart(4, '0')}`;
      else out += `\\U${c.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

/** `repr(value)` for the JSON-shaped values tools handle. */
export function pyRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return intRepr(v);
  if (typeof v === 'string') return strRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  const items: string[] = [];
  for (const [k, item] of v) items.push(`${strRepr(k)}: ${pyRepr(item)}`);
  return `{${items.join(', ')}}`;
}

/** `str(value)`, as f-strings interpolate it. */
export function pyStr(v: PyValue): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

// ---------------------------------------------------------------- conversion

/** Copies a value; PyFloat is immutable and shared. */
export function deepCopy<T extends PyValue>(v: T): T;
export function deepCopy(v: PyValue): PyValue {
  if (Array.isArray(v)) return v.map((x) => deepCopy(x));
  if (v instanceof Map) {
    const m: PyDict = new Map();
    for (const [k, x] of v) m.set(k, deepCopy(x));
    return m;
  }
  return v;
}

/**
 * A value from JS land (a tool call's parsed arguments) as Python would have
 * parsed it: integral numbers become ints, others floats. The JSON text's
 * `1.0` vs `1` is already lost there; see the report in env.ts.
 */
export function fromJs(v: unknown): PyValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? v : new PyFloat(v);
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(fromJs);
  if (v instanceof Map) {
    const m: PyDict = new Map();
    for (const [k, x] of v) m.set(String(k), fromJs(x));
    return m;
  }
  if (typeof v === 'object') {
    const m: PyDict = new Map();
    for (const [k, x] of Object.entries(v)) m.set(k, fromJs(x));
    return m;
  }
  return String(v);
}

/** A plain JS value (for zod validation and display); ints and floats both become numbers. */
export function toJs(v: PyValue): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toJs);
  if (v instanceof Map) {
    // fromEntries defines own properties, so a '__proto__' key stays data.
    return Object.fromEntries([...v].map(([k, x]) => [k, toJs(x)]));
  }
  return v;
}
