/**
 * Python text semantics the original's observations depend on, where JS
 * differs: `str.strip()` / regex `\s` (Python's whitespace set has \x1c-\x1f
 * and \x85 but not \ufeff), regex `\d` (any Unicode decimal digit), `str.format`,
 * and `parse_output_as_json` (utils.py) built on `json.loads`, which accepts NaN.
 */
import { JsonSyntaxError, parseJson, roundFloat, type PyValue } from '../tau-bench/py.ts';

/** The characters of Python's `str.isspace()`, as a regex class body. */
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const SPACE_CHAR = new RegExp(`^[${PY_SPACE}]$`);

/** `ch.isspace()` for one character. */
export function pyIsSpace(ch: string): boolean {
  return SPACE_CHAR.test(ch);
}

/** `str.strip()` with no argument. */
export function pyStrip(s: string): string {
  return s.replace(STRIP, '');
}

/** `re.match(r"^[ACFHR]\d+$", id)`: `\d` is Unicode Nd, and `$` also matches before a final newline. */
export function isOptionId(id: string): boolean {
  return /^[ACFHR]\p{Nd}+\n?$/u.test(id);
}

/**
 * `template.format(**fields)` for named fields: `{{` and `}}` are literal
 * braces; a missing field or a lone brace throws as Python raises.
 */
export function pyFormat(template: string, fields: Readonly<Record<string, string>>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c === '{') {
      if (template[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      const end = template.indexOf('}', i);
      if (end < 0) throw new Error("Single '{' encountered in format string");
      const name = template.slice(i + 1, end);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unsupported format field {${name}}`);
      const value = Object.hasOwn(fields, name) ? fields[name] : undefined;
      if (value === undefined) throw new Error(`KeyError: '${name}'`);
      out += value;
      i = end + 1;
    } else if (c === '}') {
      if (template[i + 1] !== '}') throw new Error("Single '}' encountered in format string");
      out += '}';
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function tryJson(text: string): { value: PyValue } | undefined {
  try {
    return { value: parseJson(text) };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return undefined;
    throw err;
  }
}

const FENCED = new RegExp(`\`\`\`json[${PY_SPACE}]*([\\s\\S]*?)[${PY_SPACE}]*\`\`\``);
const BRACED = /\{[\s\S]*\}/;

/**
 * utils.py `parse_output_as_json`: the whole text; else the first ```json
 * block; else the span from the first '{' to the last '}'. `undefined` is
 * Python's `None` (nothing parsed).
 */
export function parseOutputAsJson(text: string): { value: PyValue } | undefined {
  const whole = tryJson(pyStrip(text));
  if (whole) return whole;
  const fenced = FENCED.exec(text);
  if (fenced) {
    const inner = tryJson(pyStrip(fenced[1] ?? ''));
    if (inner) return inner;
  }
  const braced = BRACED.exec(text);
  return braced ? tryJson(pyStrip(braced[0])) : undefined;
}

/** f"{x:.2%}": x * 100 in fixed notation with 2 decimals, rounded half-even on the exact value. */
export function pyPercent2(x: number): string {
  return `${roundFloat(x * 100, 2).toFixed(2)}%`;
}
