/**
 * A person in a τ³ user's seat: their turns come from the person at the
 * keyboard (any `UserSide`, the app's HumanUser), and the session records them
 * in the trajectory as the simulated user's would be, so the evaluator (and an
 * NL judge) sees the same conversation. With dual control (telecom) the person
 * acts on their own phone through `useTool`: the call runs on the user's
 * database, is recorded as the user's tool call, and is told to the loop
 * (which stores it in the timeline then and there). A reload mid-episode
 * resumes: `replay` rebuilds the trajectory and the user's database from the
 * stored timeline, in the order it happened.
 */
import { z } from 'zod';
import type { ToolSchema } from '../../contracts.ts';
import type { OnUserTool, PastTurn, UserSide, UserTurn } from '../env-interface.ts';
import type { Tau2Session } from './env.ts';
import { FIRST_AGENT_MESSAGE } from './orchestrator.ts';

export class Tau2HumanSeat implements UserSide {
  readonly kind = 'human';
  #calls = 0;
  /** The orchestrator's opening line is in the trajectory. */
  #opened = false;
  /** While the person's turn is open: where their phone's tool calls are told. */
  #onTool: OnUserTool | undefined;
  /** The agent's message a replay ended on, which the loop then asks a reply to: recorded once. */
  #replayedAgent: string | undefined;

  constructor(
    private readonly person: UserSide,
    private readonly session: Tau2Session,
  ) {}

  /** The user's tools (the buttons): empty for domains without dual control. */
  get tools(): ToolSchema[] {
    return this.session.userTools;
  }

  async first(signal: AbortSignal, onTool?: OnUserTool): Promise<UserTurn> {
    this.#open();
    const turn = await this.#turn(() => this.person.first(signal), onTool);
    this.session.userSaid(turn.content);
    return turn;
  }

  async reply(agentMessage: string, signal: AbortSignal, onTool?: OnUserTool): Promise<UserTurn> {
    if (this.#replayedAgent !== agentMessage) this.session.agentSaid(agentMessage);
    this.#replayedAgent = undefined;
    const turn = await this.#turn(() => this.person.reply(agentMessage, signal), onTool);
    // Ending the episode is the person's button, not words of theirs.
    if (!turn.stop) this.session.userSaid(turn.content);
    return turn;
  }

  /** The conversation before a reload, in order: the agent's tool calls rerun on the env (the loop), the rest here, the user's tool calls on a fresh user database. */
  replay(past: PastTurn): void {
    this.#open();
    switch (past.kind) {
      case 'user':
        this.session.userSaid(past.content);
        this.#replayedAgent = undefined;
        return;
      case 'agent':
        this.session.agentSaid(past.content);
        this.#replayedAgent = past.content;
        return;
      case 'user_tool': {
        this.#calls++;
        const msg = this.session.userToolCall(past.call);
        // The tools are deterministic: another result means the stored episode and this data disagree, and the reward would not be its own.
        if (msg.content !== past.observation || msg.error !== past.error) {
          throw new Error(`Cannot resume: the user's ${past.call.name} call (${past.call.id}) returned ${JSON.stringify(msg.content)} on replay, not the stored ${JSON.stringify(past.observation)}`);
        }
        return;
      }
    }
  }

  /** The person's tool call on their side (during their turn); the result is what the simulated user's model would have been given. */
  useTool(name: string, args: Record<string, unknown>): void {
    const onTool = this.#onTool;
    if (!onTool) throw new Error('Your phone can be used when it is your turn to answer the agent.');
    const call = { id: `person_${this.#calls++}`, name, arguments: args };
    const msg = this.session.userToolCall(call);
    onTool({ call, observation: msg.content, error: msg.error });
  }

  #open(): void {
    if (this.#opened) return;
    this.#opened = true;
    this.session.greeted(FIRST_AGENT_MESSAGE);
  }

  async #turn(ask: () => Promise<UserTurn>, onTool: OnUserTool | undefined): Promise<UserTurn> {
    this.#onTool = onTool;
    try {
      return await ask();
    } finally {
      this.#onTool = undefined;
    }
  }
}

/** A tool parameter as a person fills it in. */
export interface ToolParam {
  name: string;
  type: string;
  description: string;
  required: boolean;
}

const ParametersSchema = z.object({
  properties: z.record(z.string(), z.object({ type: z.string().optional(), description: z.string().optional() })).optional(),
  required: z.array(z.string()).optional(),
});

/** The tool's parameters, read from its JSON schema (what the original shows the user model). */
export function toolParams(t: ToolSchema): ToolParam[] {
  const p = ParametersSchema.safeParse(t.function.parameters);
  if (!p.success) return [];
  const required = p.data.required ?? [];
  return Object.entries(p.data.properties ?? {}).map(([name, s]) => ({ name, type: s.type ?? 'string', description: s.description ?? '', required: required.includes(name) }));
}

/** A typed argument from what the person typed: numbers and booleans as the schema says, else the text. */
export function toolArg(p: ToolParam, text: string): unknown {
  if (p.type === 'integer' || p.type === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`${p.name} must be a number`);
    return n;
  }
  if (p.type === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new Error(`${p.name} must be true or false`);
    return text === 'true';
  }
  return text;
}
