/**
 * UserBench's LLM parts (search judge, utterance judge, simulated user) on any
 * Spotter `Actor`: the system message as system prompt, the rest as the chat,
 * no tools. Which model, temperature (TravelGymConfig: gpt-4o at 0) and key
 * are the actor's; retries and timeouts are the actor client's.
 */
import type { Actor } from '../../actor/actor-interface.ts';
import type { ChatMessage } from '../../contracts.ts';
import type { TravelLlm, TravelLlmMessage } from './llm.ts';

function toActorRequest(messages: readonly TravelLlmMessage[]): { system: string; messages: ChatMessage[] } {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const chat = messages
    .filter((m) => m.role !== 'system')
    .map((m): ChatMessage => (m.role === 'assistant' ? { role: 'assistant', content: m.content } : { role: 'user', content: m.content }));
  return { system, messages: chat };
}

export function actorTravelLlm(actor: Actor): TravelLlm {
  return async (messages, _purpose, signal) => {
    const reply = await actor.propose({ ...toActorRequest(messages), tools: [] }, signal ?? new AbortController().signal);
    // Without tools the reply is a message; a stray tool call still carries its text, if any.
    return reply.action.kind === 'message' ? reply.action.content : (reply.action.content ?? '');
  };
}
