/**
 * tau2's Environment (src/tau2/environment/environment.py) for the ported
 * domains: tool calls by requestor, `Error: ...` observations, the DB hashes,
 * env function calls/assertions, and `set_state`'s replay of a trajectory,
 * where unknown (hallucinated) tools and non-mutating tools are skipped.
 */
import { JsonSyntaxError, parseJson, type PyDict, type PyValue } from '../tau-bench/py.ts';
import { PyException, pyEq } from '../tau-bench/pyops.ts';
import type { EnvAssertion, EnvFunctionCall } from './tasks.ts';
import { toJsonStr, type Toolkit, type ToolRequestor } from './toolkit.ts';

export interface Tau2ToolCall {
  id: string;
  name: string;
  arguments: PyDict;
  requestor: ToolRequestor;
}
export interface Tau2ToolMessage {
  role: 'tool';
  id: string;
  content: string;
  requestor: ToolRequestor;
  error: boolean;
}
export interface Tau2TurnMessage {
  role: 'assistant' | 'user';
  content: string | null;
  toolCalls: Tau2ToolCall[] | null;
}
export type Tau2Message = Tau2TurnMessage | Tau2ToolMessage;

/** Functions the environment exposes besides tools (telecom's user-device setters and assertions). */
export type EnvFunction = (db: PyDict, args: PyDict) => PyValue;

export class Tau2Environment {
  constructor(
    readonly domain: string,
    readonly tools: Toolkit,
    readonly userTools: Toolkit | null = null,
    private readonly envFunctions: { assistant: Record<string, EnvFunction>; user: Record<string, EnvFunction> } = { assistant: {}, user: {} },
    /** `sync_tools` (telecom: the phone learns the line's state); the base Environment's is a no-op. */
    private readonly sync: () => void = () => {},
  ) {
    this.sync();
  }

  /** `sync_tools`, as the orchestrator calls it after every step. */
  syncTools(): void {
    this.sync();
  }

  hasTool(name: string): boolean {
    return this.tools.has(name) || (this.userTools?.has(name) ?? false);
  }

  private mutates(name: string): boolean {
    for (const kit of [this.tools, this.userTools]) {
      const t = kit?.get(name);
      if (t !== undefined) return t.mutates;
    }
    return true;
  }

  /** `make_tool_call`: throws the tool's PyException. */
  makeToolCall(name: string, requestor: ToolRequestor, args: PyDict): PyValue {
    if (requestor === 'user') {
      if (this.userTools === null) throw new PyException('ValueError', 'User tools not available');
      return this.userTools.use(name, args);
    }
    return this.tools.use(name, args);
  }

  /** `get_response`: the observation for a tool call. */
  getResponse(call: Tau2ToolCall): Tau2ToolMessage {
    let content: string;
    let error = false;
    try {
      const resp = this.makeToolCall(call.name, call.requestor, call.arguments);
      this.sync();
      content = toJsonStr(resp);
    } catch (e) {
      if (!(e instanceof PyException)) throw e;
      content = `Error: ${e.message}`;
      error = true;
    }
    return { role: 'tool', id: call.id, content, requestor: call.requestor, error };
  }

  /** `run_env_function_call`. */
  runEnvFunctionCall(call: EnvFunctionCall): PyValue {
    const kit = call.envType === 'user' ? this.userTools : this.tools;
    const fn = this.envFunctions[call.envType][call.funcName];
    let res: PyValue;
    if (fn !== undefined && kit !== null) res = fn(kit.db, call.arguments);
    else if (kit?.has(call.funcName)) res = kit.use(call.funcName, call.arguments);
    else throw new PyException('AttributeError', `'${kit?.className ?? 'NoneType'}' object has no attribute '${call.funcName}'`);
    this.sync();
    return res;
  }

  /** `run_env_assertion(..., raise_assertion_error=False)`. */
  runEnvAssertion(a: EnvAssertion): boolean {
    const res = this.runEnvFunctionCall(a);
    if (typeof res !== 'boolean') throw new Error(`Function ${a.funcName} returned a non-bool`);
    return res === a.assertValue;
  }

  /** `set_state(initialization_data=None, initialization_actions, message_history, strict)`. */
  setState(initializationActions: EnvFunctionCall[], history: Tau2Message[], strict = true): void {
    for (const a of initializationActions) this.runEnvFunctionCall(a);
    const pairs: Array<[Tau2ToolCall, Tau2ToolMessage]> = [];
    for (let i = 0; i < history.length; i++) {
      const m = history[i];
      if (m === undefined) continue;
      if (m.role === 'tool') throw new PyException('ValueError', 'Tool message not expected. Tool messages should always follow a tool call.');
      for (const tc of m.toolCalls ?? []) {
        const tm = history[++i];
        if (tm === undefined) throw new PyException('ValueError', 'Tool message expected. Got None.');
        if (tm.role !== 'tool') throw new PyException('ValueError', 'Tool message expected.');
        if (tm.id !== tc.id) throw new PyException('ValueError', `Tool call id mismatch. Got ${tc.id} and ${tm.id}`);
        pairs.push([tc, tm]);
      }
    }
    for (const [tc, expected] of pairs) {
      if (!this.hasTool(tc.name)) continue; // hallucinated tool: a no-op, as the live call was
      if (!this.mutates(tc.name)) continue;
      const got = this.getResponse(tc);
      if (!sameContent(got.content, expected.content) && strict) {
        throw new PyException('ValueError', `Replayed tool call ${tc.name} returned different content than recorded`);
      }
    }
    this.sync();
  }

  dbHash(): Promise<string> {
    return this.tools.hash();
  }

  userDbHash(): Promise<string> | null {
    return this.userTools?.hash() ?? null;
  }
}

function loads(s: string): PyValue {
  try {
    return parseJson(s);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return s;
    throw e;
  }
}

const sameContent = (a: string, b: string): boolean => pyEq(loads(a), loads(b));
