/**
 * A person in a τ³ user's seat: their turns come from the person at the
 * keyboard (any `UserSide`, the app's HumanUser), and the session records them
 * in the trajectory as the simulated user's would be, so the evaluator (and an
 * NL judge) sees the same conversation. With dual control (telecom) the person
 * acts on their own phone through `useTool`: the call runs on the user's
 * database and is recorded as the user's tool call.
 */
import { z } from 'zod';
import type { ToolSchema } from '../../contracts.ts';
import type { UserSide, UserTurn } from '../env-interface.ts';
import type { Tau2Session, Tau2UserAction } from './env.ts';
import { FIRST_AGENT_MESSAGE } from './orchestrator.ts';

export class Tau2HumanSeat implements UserSide {
  readonly kind = 'human';
  #calls = 0;

  constructor(
    private readonly person: UserSide,
    private readonly session: Tau2Session,
  ) {}

  /** The user's tools (the buttons): empty for domains without dual control. */
  get tools(): ToolSchema[] {
    return this.session.userTools;
  }

  async first(signal: AbortSignal): Promise<UserTurn> {
    this.session.greeted(FIRST_AGENT_MESSAGE);
    const turn = await this.person.first(signal);
    this.session.userSaid(turn.content);
    return turn;
  }

  async reply(agentMessage: string, signal: AbortSignal): Promise<UserTurn> {
    this.session.agentSaid(agentMessage);
    const turn = await this.person.reply(agentMessage, signal);
    // Ending the episode is the person's button, not words of theirs.
    if (!turn.stop) this.session.userSaid(turn.content);
    return turn;
  }

  /** The person's tool call on their side; the result is what the simulated user's model would have been given. */
  useTool(name: string, args: Record<string, unknown>): Tau2UserAction {
    const msg = this.session.userToolCall({ id: `person_${this.#calls++}`, name, arguments: args });
    return { name, arguments: args, content: msg.content, error: msg.error, turn: this.session.userActions.at(-1)?.turn ?? 0 };
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
