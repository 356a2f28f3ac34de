/**
 * A ported tau-bench tool and the call convention of the original's
 * `Env.step`: `Tool.invoke(data=self.data, **kwargs)`, with any exception
 * turned into the observation `Error: <str(e)>`. Arguments are bound the way
 * CPython binds them, before the tool touches the data.
 */
import { PyException } from './pyops.ts';
import { deepCopy, type PyDict, type PyValue } from './py.ts';

export type ToolArgs = Readonly<Record<string, PyValue>>;

export interface TauTool {
  /** The name in tools.json. */
  readonly name: string;
  /** The Python class name and module, for the TypeError texts that name `Class.invoke()`. */
  readonly pyClass: string;
  readonly pyModule: string;
  /** Parameters after `data`, in signature order. */
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** The tool body; `args` holds every required parameter. May throw PyException. */
  invoke(data: PyDict, args: ToolArgs): string;
}

function quoteList(names: readonly string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0] ?? '';
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/** CPython's argument binding for `invoke(data, <params>)` called as `invoke(data=..., **kwargs)`. */
function bindArgs(tool: TauTool, kwargs: PyDict): Record<string, PyValue> {
  const fn = `${tool.pyClass}.invoke()`;
  if (kwargs.has('data')) {
    // Raised at the call site, which names the function with its module.
    throw new PyException('TypeError', `${tool.pyModule}.${fn} got multiple values for keyword argument 'data'`);
  }
  const known = new Set([...tool.required, ...tool.optional]);
  const args: Record<string, PyValue> = {};
  for (const [k, v] of kwargs) {
    if (!known.has(k)) throw new PyException('TypeError', `${fn} got an unexpected keyword argument '${k}'`);
    // The original's kwargs are fresh objects per call; copying keeps the task's gold actions pristine.
    args[k] = deepCopy(v);
  }
  const missing = tool.required.filter((p) => !(p in args));
  if (missing.length > 0) {
    const s = missing.length === 1 ? 'argument' : 'arguments';
    throw new PyException('TypeError', `${fn} missing ${missing.length} required positional ${s}: ${quoteList(missing)}`);
  }
  return args;
}

/** Runs a tool as `Env.step` does: bound arguments, exceptions as `Error: ...`. */
export function invokeTool(tool: TauTool, data: PyDict, kwargs: PyDict): string {
  try {
    return tool.invoke(data, bindArgs(tool, kwargs));
  } catch (err) {
    if (err instanceof PyException) return `Error: ${err.message}`;
    throw err;
  }
}

/** Reads a bound argument; binding guarantees required ones are present. */
export function arg(args: ToolArgs, name: string): PyValue {
  const v = args[name];
  if (v === undefined) throw new Error(`argument ${name} was not bound`);
  return v;
}
