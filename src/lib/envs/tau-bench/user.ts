/**
 * The original's LLMUserSimulationEnv on any `Actor`: the pack's simulator
 * prompt with the task's instruction, the conversation with roles flipped
 * (the agent's messages are the simulator's 'user' turns), no tools, and
 * '###STOP###' anywhere in a reply ending the episode.
 */
import type { Actor } from '../../actor/actor-interface.ts';
import type { ChatMessage } from '../../contracts.ts';
import type { UserSide, UserTurn } from '../env-interface.ts';

const STOP_TOKEN = '###STOP###';
export const OPENING = 'Hi! How can I help you today?';

/**
 * The simulator's system prompt. The pack's template reads
 * "...agent.\n\nInstruction: {instruction}\n\nRules:..." so the bare instruction
 * goes in; a template written as the original's f-string ("agent.{instruction}\nRules")
 * gets the original's "\n\nInstruction: " + instruction + "\n". Either way the
 * result equals the original's build_system_prompt.
 */
export function userSystemPrompt(template: string, instruction: string): string {
  const inline = template.includes('Instruction: {instruction}');
  const value = inline ? instruction : `\n\nInstruction: ${instruction}\n`;
  return template.replace('{instruction}', () => value);
}

export class SimulatedUser implements UserSide {
  readonly kind = 'simulated';
  /** A failed model call keeps nothing (reply stores the exchange only once answered). */
  readonly retrySafe = true;
  private readonly system: string;
  private messages: ChatMessage[] = [];

  constructor(
    private readonly actor: Actor,
    template: string,
    instruction: string,
  ) {
    this.system = userSystemPrompt(template, instruction);
  }

  /** The simulator's own view of the conversation so far. */
  get transcript(): readonly ChatMessage[] {
    return this.messages;
  }

  first(signal: AbortSignal): Promise<UserTurn> {
    this.messages = [];
    return this.reply(OPENING, signal);
  }

  async reply(agentMessage: string, signal: AbortSignal): Promise<UserTurn> {
    const messages: ChatMessage[] = [...this.messages, { role: 'user', content: agentMessage }];
    const res = await this.actor.propose({ system: this.system, messages: [...messages], tools: [] }, signal);
    // Without tools the actor answers with a message; a stray tool call still carries its text, if any.
    const content = res.action.kind === 'message' ? res.action.content : (res.action.content ?? '');
    // Kept only once answered: a failed call asked again (the chat's Retry) sends the same conversation.
    this.messages = [...messages, { role: 'assistant', content }];
    return { content, stop: content.includes(STOP_TOKEN) };
  }
}
