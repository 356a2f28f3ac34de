/**
 * The part of pydantic that tau2-bench's results depend on, over zod schemas.
 *
 * tau2's data models are pydantic models: loading or constructing one
 * validates in lax mode (an int field takes 3, 3.0 or "3"; a float field
 * stores 3 as 3.0), `model_dump()` emits fields in declaration order, and
 * assignment after construction is not validated. Observations
 * (`json.dumps(model_dump())`) and the DB hash (`json.dumps(..., sort_keys=True)`)
 * both show the int/float distinction, so values live as `PyValue`s (see
 * ../tau-bench/py.ts) and `validate` turns a value into what pydantic would
 * store. The zod schemas are the one description of each model: their object
 * shapes give field order, `z.int()` marks ints, `z.number()` floats.
 */
import { z } from 'zod';
import { PyFloat, isDict, pyRepr, typeName, type PyDict, type PyValue } from '../tau-bench/py.ts';
import { PyException } from '../tau-bench/pyops.ts';

/** The pydantic version whose error texts (with their docs URL) this reproduces. */
export const PYDANTIC_DOCS = 'https://errors.pydantic.dev/2.13/v';

interface LineError {
  loc: Array<string | number>;
  msg: string;
  type: string;
  input?: PyValue;
}

/** Python `repr` of an input as pydantic prints it (long inputs are cut in the middle). */
function inputRepr(v: PyValue): string {
  const r = pyRepr(v);
  return r.length > 50 ? `${r.slice(0, 24)}...${r.slice(-24)}` : r;
}

/** A pydantic `ValidationError`, raised as the Python exception its `str()` prints. */
export function validationError(title: string, errors: LineError[]): PyException {
  const lines = [`${errors.length} validation error${errors.length === 1 ? '' : 's'} for ${title}`];
  for (const e of errors) {
    lines.push(e.loc.join('.'));
    const ctx =
      e.input === undefined
        ? `[type=${e.type}, input_value={}, input_type=dict]`
        : `[type=${e.type}, input_value=${inputRepr(e.input)}, input_type=${typeName(e.input)}]`;
    lines.push(`  ${e.msg} ${ctx}`);
    lines.push(`    For further information visit ${PYDANTIC_DOCS}/${e.type}`);
  }
  return new PyException('ValueError', lines.join('\n'));
}

class Fail {
  constructor(readonly errors: LineError[]) {}
}

const INT_RE = /^\s*[+-]?\d+(_\d+)*\s*$/;
const FLOAT_RE = /^\s*[+-]?((\d+(_\d+)*)?\.?\d*([eE][+-]?\d+)?|inf|infinity|nan)\s*$/i;

function literalText(values: readonly unknown[]): string {
  const reprs = values.map((x) => (typeof x === 'string' ? pyRepr(x) : String(x)));
  if (reprs.length === 1) return reprs[0] ?? '';
  return `${reprs.slice(0, -1).join(', ')} or ${reprs[reprs.length - 1]}`;
}

const PY_ENUMS = new WeakSet<z.ZodType>();

/** Marks a zod enum as a Python `Enum` class (pydantic's error type is then `enum`, not `literal_error`). */
export function pyEnum<T extends z.ZodEnum>(schema: T): T {
  PY_ENUMS.add(schema);
  return schema;
}

const isIntSchema = (schema: z.ZodNumber): boolean => schema.format === 'safeint' || schema.format === 'int32' || schema.format === 'int64';

function check(schema: z.ZodType, v: PyValue | undefined, loc: Array<string | number>, parentInput: PyDict | null): PyValue {
  if (schema instanceof z.ZodDefault) {
    if (v === undefined) {
      const d: unknown = schema._zod.def.defaultValue;
      const inner = schema.unwrap();
      // A float field's default (`0.0`) stays a float; zod holds it as a plain number.
      if (typeof d === 'number' && inner instanceof z.ZodNumber && !isIntSchema(inner)) return new PyFloat(d);
      return d === null || d === undefined ? null : fromPlain(d);
    }
    return check(schema.unwrap() as z.ZodType, v, loc, parentInput);
  }
  if (schema instanceof z.ZodPrefault) {
    // A model-typed field with `default_factory=Model`: a missing value is the model built from nothing.
    return check(schema.unwrap() as z.ZodType, v ?? new Map(), loc, parentInput);
  }
  if (v === undefined) {
    throw new Fail([{ loc, msg: 'Field required', type: 'missing', input: parentInput ?? undefined }]);
  }
  if (schema instanceof z.ZodNullable) {
    return v === null ? null : check(schema.unwrap() as z.ZodType, v, loc, parentInput);
  }
  if (schema instanceof z.ZodOptional) return check(schema.unwrap() as z.ZodType, v, loc, parentInput);
  if (schema instanceof z.ZodISODate || schema instanceof z.ZodISODateTime) return checkDate(schema instanceof z.ZodISODateTime, v, loc);
  if (schema instanceof z.ZodString) {
    if (typeof v !== 'string') throw new Fail([{ loc, msg: 'Input should be a valid string', type: 'string_type', input: v }]);
    return v;
  }
  if (schema instanceof z.ZodBoolean) {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number' && (v === 0 || v === 1)) return v === 1;
    if (typeof v === 'string') {
      const s = v.toLowerCase();
      if (['1', 'true', 't', 'yes', 'y', 'on'].includes(s)) return true;
      if (['0', 'false', 'f', 'no', 'n', 'off'].includes(s)) return false;
      throw new Fail([{ loc, msg: 'Input should be a valid boolean, unable to interpret input', type: 'bool_parsing', input: v }]);
    }
    throw new Fail([{ loc, msg: 'Input should be a valid boolean', type: 'bool_type', input: v }]);
  }
  if (schema instanceof z.ZodNumber) {
    const isInt = isIntSchema(schema);
    if (isInt) {
      if (typeof v === 'number') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (v instanceof PyFloat) {
        if (Number.isInteger(v.value)) return v.value;
        throw new Fail([{ loc, msg: 'Input should be a valid integer, got a number with a fractional part', type: 'int_from_float', input: v }]);
      }
      if (typeof v === 'string') {
        if (INT_RE.test(v)) return Number(v.trim().replace(/_/g, ''));
        throw new Fail([{ loc, msg: 'Input should be a valid integer, unable to parse string as an integer', type: 'int_parsing', input: v }]);
      }
      throw new Fail([{ loc, msg: 'Input should be a valid integer', type: 'int_type', input: v }]);
    }
    if (typeof v === 'number') return new PyFloat(v);
    if (v instanceof PyFloat) return v;
    if (typeof v === 'boolean') return new PyFloat(v ? 1 : 0);
    if (typeof v === 'string') {
      if (FLOAT_RE.test(v) && v.trim() !== '' && v.trim() !== '.') return new PyFloat(Number(v.trim().replace(/_/g, '')));
      throw new Fail([{ loc, msg: 'Input should be a valid number, unable to parse string as a number', type: 'float_parsing', input: v }]);
    }
    throw new Fail([{ loc, msg: 'Input should be a valid number', type: 'float_type', input: v }]);
  }
  if (schema instanceof z.ZodLiteral) {
    const values = [...schema.values];
    if (values.some((x) => x === v)) return v;
    throw new Fail([{ loc, msg: `Input should be ${literalText(values)}`, type: 'literal_error', input: v }]);
  }
  if (schema instanceof z.ZodEnum) {
    const values = schema.options;
    if (values.some((x) => x === v)) return v;
    const type = PY_ENUMS.has(schema) ? 'enum' : 'literal_error';
    throw new Fail([{ loc, msg: `Input should be ${literalText(values)}`, type, input: v }]);
  }
  if (schema instanceof z.ZodArray) {
    if (!Array.isArray(v)) throw new Fail([{ loc, msg: 'Input should be a valid list', type: 'list_type', input: v }]);
    const errors: LineError[] = [];
    const out = v.map((item, i) => {
      try {
        return check(schema.element as z.ZodType, item, [...loc, i], null);
      } catch (e) {
        if (e instanceof Fail) errors.push(...e.errors);
        else throw e;
        return null;
      }
    });
    if (errors.length > 0) throw new Fail(errors);
    return out;
  }
  if (schema instanceof z.ZodRecord) {
    if (!isDict(v)) throw new Fail([{ loc, msg: 'Input should be a valid dictionary', type: 'dict_type', input: v }]);
    const errors: LineError[] = [];
    const out: PyDict = new Map();
    for (const [k, item] of v) {
      try {
        out.set(k, check(schema.valueType as z.ZodType, item, [...loc, k], null));
      } catch (e) {
        if (e instanceof Fail) errors.push(...e.errors);
        else throw e;
      }
    }
    if (errors.length > 0) throw new Fail(errors);
    return out;
  }
  if (schema instanceof z.ZodUnion) {
    // pydantic's smart mode; the unions here are told apart by a literal tag, so the first member that fits wins.
    const errors: LineError[] = [];
    for (const option of schema.options) {
      try {
        return check(option as z.ZodType, v, loc, parentInput);
      } catch (e) {
        if (e instanceof Fail) errors.push(...e.errors);
        else throw e;
      }
    }
    throw new Fail(errors);
  }
  if (schema instanceof z.ZodObject) {
    if (!isDict(v)) {
      throw new Fail([{ loc, msg: 'Input should be a valid dictionary or instance of a model', type: 'model_type', input: v }]);
    }
    const errors: LineError[] = [];
    const out: PyDict = new Map();
    const shape = schema.shape as Record<string, z.ZodType>;
    for (const [name, field] of Object.entries(shape)) {
      try {
        out.set(name, check(field, v.get(name), [...loc, name], v));
      } catch (e) {
        if (e instanceof Fail) errors.push(...e.errors);
        else throw e;
      }
    }
    // A strict object is a model with `extra="forbid"` (tau2's BaseModelNoExtra).
    if (schema._zod.def.catchall instanceof z.ZodNever) {
      for (const [k, item] of v) {
        if (!(k in shape)) errors.push({ loc: [...loc, k], msg: 'Extra inputs are not permitted', type: 'extra_forbidden', input: item });
      }
    }
    if (errors.length > 0) throw new Fail(errors);
    return out;
  }
  if (schema instanceof z.ZodLazy) return check(schema.unwrap() as z.ZodType, v, loc, parentInput);
  throw new Error(`tau2 model: unsupported schema at ${loc.join('.') || '<root>'}`);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * `datetime.date` / `datetime.datetime` fields from ISO text. A date is stored as `str(date)`
 * ("2025-02-25") and a datetime as `str(datetime)` ("2025-01-20 14:30:00"): what `json.dumps(...,
 * default=str)` writes for them in observations and in the DB hash. Naive values only (the data has no
 * time zones or fractions).
 */
function checkDate(isDateTime: boolean, v: PyValue, loc: Array<string | number>): string {
  if (typeof v === 'string') {
    const d = DATE_RE.exec(v);
    if (d !== null && !isDateTime) return v;
    if (d !== null) return `${v} 00:00:00`;
    const t = DATETIME_RE.exec(v);
    if (t !== null) {
      const [, y, mo, da, h, mi, se] = t;
      if (isDateTime) return `${y}-${mo}-${da} ${h}:${mi}:${se ?? '00'}`;
      if (h === '00' && mi === '00' && (se ?? '00') === '00') return `${y}-${mo}-${da}`;
      throw new Fail([{ loc, msg: 'Datetimes provided to dates should have zero time - e.g. be exact dates', type: 'date_from_datetime_inexact', input: v }]);
    }
    const kind = isDateTime ? 'datetime' : 'date';
    throw new Fail([{ loc, msg: `Input should be a valid ${kind}, invalid ${kind} format`, type: `${kind}_parsing`, input: v }]);
  }
  const kind = isDateTime ? 'datetime' : 'date';
  throw new Fail([{ loc, msg: `Input should be a valid ${kind}`, type: `${kind}_type`, input: v }]);
}

function fromPlain(v: unknown): PyValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map(fromPlain);
  if (v instanceof PyFloat) return v;
  if (v instanceof Map) return new Map([...(v as Map<string, unknown>)].map(([k, x]) => [k, fromPlain(x)]));
  if (typeof v === 'object') return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromPlain(x)]));
  throw new Error('tau2 model: unsupported default value');
}

/**
 * `Model.model_validate(v)` / `Model(**v)`: the value pydantic would store, or
 * the ValidationError it raises (as a PyException whose message is `str(error)`).
 */
export function validate(title: string, schema: z.ZodType, v: PyValue): PyValue {
  try {
    return check(schema, v, [], null);
  } catch (e) {
    if (e instanceof Fail) throw validationError(title, e.errors);
    throw e;
  }
}

/** `validate` for a model (object schema): the result is a dict. */
export function construct(title: string, schema: z.ZodType, fields: PyDict): PyDict {
  const out = validate(title, schema, fields);
  if (!isDict(out)) throw new Error(`tau2 model: ${title} is not an object schema`);
  return out;
}
