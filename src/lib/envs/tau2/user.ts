/**
 * tau2's UserSimulator (src/tau2/user/user_simulator.py at a2c0247) on any
 * `Actor`: the global guidelines (the tools variant when the user has tools)
 * and the task's scenario as system prompt, the conversation with roles
 * flipped (the agent's messages are the model's 'user' turns, the user's own
 * tool results its 'tool' turns), and '###STOP###', '###TRANSFER###' or
 * '###OUT-OF-SCOPE###' in a text reply ending the episode. With dual control
 * (telecom) the model may call the user's tools: each call runs on the user's
 * own database through the session, its result goes back to the model, and
 * the turn goes on until the model writes a message for the agent (as the
 * original's orchestrator routes USER -> ENV -> USER).
 */
import type { Actor } from '../../actor/actor-interface.ts';
import type { ChatMessage } from '../../contracts.ts';
import type { OnUserTool, UserSide, UserTurn } from '../env-interface.ts';
import { AGENT_STOP_TOKEN, type Tau2Session } from './env.ts';
import { FIRST_AGENT_MESSAGE } from './orchestrator.ts';
import { SIMULATION_GUIDELINES, SIMULATION_GUIDELINES_TOOLS } from './user-guidelines.ts';

export const STOP = '###STOP###';
export const TRANSFER = '###TRANSFER###';
export const OUT_OF_SCOPE = '###OUT-OF-SCOPE###';
/** Tool calls the simulated user may make in one turn before the episode ends with an error (the original stops at max_steps). */
export const MAX_USER_TOOL_CALLS_PER_TURN = 25;

/** `UserSimulator.system_prompt` with the default persona (no persona guidelines). */
export function userSystemPrompt(instructions: string | null, withTools: boolean): string {
  const guidelines = (withTools ? SIMULATION_GUIDELINES_TOOLS : SIMULATION_GUIDELINES).replace('<PERSONA_GUIDELINES>', '');
  return `${guidelines}\n\n<scenario>\n${instructions ?? 'None'}\n</scenario>`;
}

/** `UserSimulator.is_stop` for a text message. */
export function isUserStop(content: string): boolean {
  return content.includes(STOP) || content.includes(TRANSFER) || content.includes(OUT_OF_SCOPE);
}

/** A turn whose model call has not answered yet: its messages so far, user tool results included. */
interface TurnInFlight {
  agentMessage: string;
  messages: ChatMessage[];
  calls: number;
}

export class Tau2SimulatedUser implements UserSide {
  readonly kind = 'simulated';
  /**
   * A failed model call is asked again from where the turn stood: the agent's
   * message is recorded once, and user tool calls that already ran (on the
   * user's database) are kept with their results, not run twice.
   */
  readonly retrySafe = true;
  readonly system: string;
  /** The simulator's own view of the conversation (roles flipped). */
  private messages: ChatMessage[] = [];
  #inFlight: TurnInFlight | undefined;

  constructor(
    private readonly model: Actor,
    private readonly session: Tau2Session,
  ) {
    this.system = userSystemPrompt(session.task.userInstructions, session.userTools.length > 0);
  }

  get transcript(): readonly ChatMessage[] {
    return this.messages;
  }

  first(signal: AbortSignal, onTool?: OnUserTool): Promise<UserTurn> {
    if (!this.#resumes(FIRST_AGENT_MESSAGE)) {
      this.messages = [];
      this.session.greeted(FIRST_AGENT_MESSAGE);
    }
    return this.#respond(FIRST_AGENT_MESSAGE, signal, onTool);
  }

  reply(agentMessage: string, signal: AbortSignal, onTool?: OnUserTool): Promise<UserTurn> {
    if (!this.#resumes(agentMessage)) this.session.agentSaid(agentMessage);
    // LLMAgent.is_stop: the agent ended the conversation; the user is not asked.
    if (agentMessage.includes(AGENT_STOP_TOKEN)) return Promise.resolve({ content: '(The agent ended the conversation.)', stop: true });
    return this.#respond(agentMessage, signal, onTool);
  }

  /** Whether this call asks again for a turn whose model call failed (the chat's Retry). */
  #resumes(agentMessage: string): boolean {
    return this.#inFlight?.agentMessage === agentMessage;
  }

  /** `onTool` hears each of the user's tool calls as it runs (the loop stores it then). */
  async #respond(agentMessage: string, signal: AbortSignal, onTool: OnUserTool | undefined): Promise<UserTurn> {
    const turn = this.#resumes(agentMessage) && this.#inFlight ? this.#inFlight : { agentMessage, messages: [...this.messages, { role: 'user' as const, content: agentMessage }], calls: 0 };
    this.#inFlight = turn;
    const tools = this.session.userTools;
    for (;;) {
      const res = await this.model.propose({ system: this.system, messages: [...turn.messages], tools }, signal);
      const action = res.action;
      if (action.kind === 'tool_call' && tools.length > 0) {
        if (turn.calls >= MAX_USER_TOOL_CALLS_PER_TURN) throw new Error(`The simulated user made more than ${MAX_USER_TOOL_CALLS_PER_TURN} tool calls in one turn`);
        turn.calls++;
        const result = this.session.userToolCall(action.call);
        onTool?.({ call: action.call, observation: result.content, error: result.error });
        turn.messages.push({ role: 'assistant', content: action.content ?? '', toolCalls: [action.call] });
        turn.messages.push({ role: 'tool', toolCallId: action.call.id, name: action.call.name, content: result.content });
        continue;
      }
      // Without tools the model answers with a message; a stray tool call still carries its text, if any.
      const content = action.kind === 'message' ? action.content : (action.content ?? '');
      this.messages = [...turn.messages, { role: 'assistant', content }];
      this.#inFlight = undefined;
      this.session.userSaid(content);
      return { content, stop: isUserStop(content) };
    }
  }
}
