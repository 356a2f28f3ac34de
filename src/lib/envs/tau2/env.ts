/**
 * A τ³-bench task as the loop's `Env`: the agent's tools run on the port's
 * environment (`get_response`: `Error: ...` observations), and the finished
 * episode is scored as the original's `evaluate_simulation` does, with the
 * per-component breakdown (DB, COMMUNICATE, ENV_ASSERTION, ACTION,
 * NL_ASSERTION). A `Tau2Session` keeps the episode's trajectory in tau2's own
 * message shape: the agent's tool calls (from `execute`), its messages and the
 * user's turns and tool calls (from the user side), in the order they happened.
 */
import type { ToolCall, ToolSchema } from '../../contracts.ts';
import { fromJs, isDict, type PyDict } from '../tau-bench/py.ts';
import type { Env, RewardInfo, ToolResult } from '../env-interface.ts';
import type { Tau2Environment, Tau2Message, Tau2ToolMessage } from './environment.ts';
import { evaluate, type NlJudge, type Tau2Reward } from './evaluator.ts';
import { agentSystemPrompt, type Tau2Pack } from './pack.ts';
import type { Tau2Task } from './tasks.ts';
import { TOOL_SCHEMAS } from './tool-schemas.ts';

/** The agent's stop token (LLMAgent.STOP_TOKEN): a message holding it ends the episode (AGENT_STOP). */
export const AGENT_STOP_TOKEN = '###STOP###';

function pyArgs(args: Record<string, unknown>): PyDict {
  const v = fromJs(args);
  return isDict(v) ? v : new Map();
}

/** One tool call of the user's (telecom's phone), with what it returned: shown beside the user's turn. */
export interface Tau2UserAction {
  name: string;
  arguments: Record<string, unknown>;
  content: string;
  error: boolean;
  /** How many user messages came before it: the call belongs to the user's turn of that index (results export). */
  turn: number;
}

/** The live episode: its environment and trajectory, shared by the `Env` and the user side. */
export class Tau2Session {
  readonly trajectory: Tau2Message[] = [];
  readonly userActions: Tau2UserAction[] = [];
  #calls = 0;
  #agentTexts = 0;
  #userTexts = 0;

  constructor(
    readonly pack: Tau2Pack,
    readonly task: Tau2Task,
    readonly env: Tau2Environment,
  ) {
    env.setState(task.initializationActions, []);
  }

  /** The user's tools (telecom): the schemas the original shows the user model, of the tools the environment offers; none for the other domains. */
  get userTools(): ToolSchema[] {
    const kit = this.env.userTools;
    return kit === null ? [] : TOOL_SCHEMAS[this.pack.domain].user.filter((t) => kit.has(t.function.name));
  }

  #toolCall(requestor: 'assistant' | 'user', call: ToolCall): Tau2ToolMessage {
    const tc = { id: call.id || `call_${this.#calls}`, name: call.name, arguments: pyArgs(call.arguments), requestor };
    this.#calls++;
    this.trajectory.push({ role: requestor, content: null, toolCalls: [tc] });
    const msg = this.env.getResponse(tc);
    this.trajectory.push(msg);
    return msg;
  }

  /** The agent's tool call, run on the agent's side. */
  agentToolCall(call: ToolCall): Tau2ToolMessage {
    return this.#toolCall('assistant', call);
  }

  /** The user's tool call (telecom's phone), run on the user's own database. */
  userToolCall(call: ToolCall): Tau2ToolMessage {
    const msg = this.#toolCall('user', call);
    this.userActions.push({ name: call.name, arguments: call.arguments, content: msg.content, error: msg.error, turn: this.#userTexts });
    return msg;
  }

  /** The orchestrator's opening message of the agent's (not one of the agent's own). */
  greeted(content: string): void {
    this.trajectory.push({ role: 'assistant', content, toolCalls: null });
  }

  /** A message of the agent's to the user. */
  agentSaid(content: string): void {
    this.#agentTexts++;
    this.trajectory.push({ role: 'assistant', content, toolCalls: null });
  }

  /** A message of the user's to the agent. */
  userSaid(content: string): void {
    this.#userTexts++;
    this.trajectory.push({ role: 'user', content, toolCalls: null });
  }

  /** The trajectory to evaluate: agent messages the user side never saw (a person in the seat) are added at the end. */
  trajectoryFor(agentMessages: readonly string[]): Tau2Message[] {
    const missing = agentMessages.slice(this.#agentTexts);
    return [...this.trajectory, ...missing.map((content): Tau2Message => ({ role: 'assistant', content, toolCalls: null }))];
  }
}

/** What `reward()` keeps with the episode: the breakdown and the checks behind it (zod: ./reward-details.ts). */
export function rewardDetails(task: Tau2Task, r: Tau2Reward, userActions: readonly Tau2UserAction[]): Record<string, unknown> {
  return {
    taskId: task.id,
    rewardBasis: task.criteria?.rewardBasis ?? [],
    breakdown: r.breakdown,
    notJudged: r.reward === null,
    dbMatch: r.dbMatch,
    actionChecks: r.actionChecks,
    communicateChecks: r.communicateChecks,
    envAssertions: r.envAssertions,
    nlAssertions: r.nl === 'not judged' || r.nl === 'not needed' ? r.nl : r.nl.checks.map((c) => c.met),
    ...(typeof r.nl === 'object' ? { nlJustifications: r.nl.checks.map((c) => c.justification) } : {}),
    ...(userActions.length > 0 ? { userActions } : {}),
    ...(r.note ? { note: r.note } : {}),
  };
}

export interface Tau2EnvOptions {
  id: string;
  /** The NL-assertion judge; without one a task whose basis needs it is "not judged" (no reward), never a pass. */
  judge?: NlJudge | null;
}

/** The task as an `Env`, with its session (which the user side writes to). */
export function createTau2Env(pack: Tau2Pack, task: Tau2Task, opts: Tau2EnvOptions): { env: Env; session: Tau2Session } {
  const session = new Tau2Session(pack, task, pack.makeEnv());
  const env: Env = {
    id: opts.id,
    policy: agentSystemPrompt(pack.domainPolicy),
    tools: TOOL_SCHEMAS[pack.domain].agent,
    execute(call: ToolCall): ToolResult {
      return { observation: session.agentToolCall(call).content };
    },
    async reward(agentMessages: string[]): Promise<RewardInfo> {
      const r = await evaluate(task, session.trajectoryFor(agentMessages), { makeEnv: pack.makeEnv, judge: opts.judge ?? null });
      const details = rewardDetails(task, r, session.userActions);
      return r.reward === null ? { details } : { reward: r.reward, details };
    },
  };
  return { env, session };
}
