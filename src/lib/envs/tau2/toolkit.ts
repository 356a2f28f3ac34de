/**
 * tau2's ToolKit and Environment call conventions (src/tau2/environment):
 * a tool is a bound method called with the call's arguments as keyword
 * arguments (no validation beyond what the method does itself); an exception
 * becomes the observation `Error: <str(e)>`; a returned model is dumped with
 * `json.dumps(model_dump())`, a returned str is the observation as is.
 */
import { dumps, type PyDict, type PyValue } from '../tau-bench/py.ts';
import { PyException } from '../tau-bench/pyops.ts';
import { dictHash } from './hash.ts';

export type ToolRequestor = 'assistant' | 'user';
export type Tau2ToolType = 'read' | 'write' | 'think' | 'generic';
export type ToolArgs = Readonly<Record<string, PyValue>>;

/**
 * A tool's behaviour. What the models are shown (its OpenAI schema) lives in one place for every domain:
 * tool-schemas.ts, generated from the original's `Tool.openai_schema`.
 */
export interface Tau2Tool {
  readonly name: string;
  /** Parameters in signature order; `required` are those without a default. */
  readonly params: readonly string[];
  readonly required: readonly string[];
  readonly type: Tau2ToolType;
  /** `mutates_state`: only these are re-executed when a trajectory is replayed. */
  readonly mutates: boolean;
  /** The method body. Returns a str (the observation) or a dumped model; throws PyException. */
  call(db: PyDict, args: ToolArgs): PyValue;
}

export function tool(
  spec: Omit<Tau2Tool, 'mutates'> & { mutates?: boolean },
): Tau2Tool {
  return { ...spec, mutates: spec.mutates ?? spec.type === 'write' };
}

export const valueError = (msg: string): PyException => new PyException('ValueError', msg);

function quoteList(names: readonly string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0] ?? '';
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/** CPython's keyword binding for `Class.method(**kwargs)`, with its TypeError texts. */
export function bind(className: string, t: Tau2Tool, kwargs: PyDict): Record<string, PyValue> {
  const fn = `${className}.${t.name}()`;
  const known = new Set(t.params);
  const args: Record<string, PyValue> = {};
  for (const [k, v] of kwargs) {
    if (!known.has(k)) throw new PyException('TypeError', `${fn} got an unexpected keyword argument '${k}'`);
    args[k] = v;
  }
  const missing = t.required.filter((p) => !(p in args));
  if (missing.length > 0) {
    const s = missing.length === 1 ? 'argument' : 'arguments';
    throw new PyException('TypeError', `${fn} missing ${missing.length} required positional ${s}: ${quoteList(missing)}`);
  }
  return args;
}

/** Reads a bound argument (binding guarantees the required ones; optional ones default to None). */
export function arg(args: ToolArgs, name: string): PyValue {
  return args[name] ?? null;
}

/** A domain's ToolKit: its class name (for TypeError texts), tools and database. */
export class Toolkit {
  private readonly byName: ReadonlyMap<string, Tau2Tool>;
  constructor(
    readonly className: string,
    tools: readonly Tau2Tool[],
    public db: PyDict,
  ) {
    this.byName = new Map(tools.map((t) => [t.name, t]));
  }

  get tools(): readonly Tau2Tool[] {
    return [...this.byName.values()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): Tau2Tool | undefined {
    return this.byName.get(name);
  }

  /** `ToolKitBase.use_tool`. */
  use(name: string, kwargs: PyDict): PyValue {
    const t = this.byName.get(name);
    if (t === undefined) throw new PyException('ValueError', `Tool '${name}' not found.`);
    return t.call(this.db, bind(this.className, t, kwargs));
  }

  /** `get_db_hash`. */
  hash(): Promise<string> {
    return dictHash(this.db);
  }
}

/** `Environment.to_json_str`. */
export function toJsonStr(resp: PyValue): string {
  if (typeof resp === 'string') return resp;
  const process = (v: PyValue): PyValue => {
    if (typeof v === 'number' || typeof v === 'boolean') return v === true ? 'True' : v === false ? 'False' : String(v);
    if (Array.isArray(v)) return v.map(process);
    return v;
  };
  return dumps(process(resp));
}
