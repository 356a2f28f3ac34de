/**
 * The critic prompt as a growing multi-turn chat, for engines that keep the KV
 * cache of a conversation that a new request extends (web-llm). It carries the
 * same information as buildCriticPrompt (policy, tools, full conversation,
 * rejected attempts, proposal), split across turns:
 *   system     critic instructions + policy + tools (stable for the episode)
 *   user       the conversation since the previous judged point + attempts + proposal
 *   assistant  the verdict text the model actually produced
 *   user       ...
 * A fine-tuned critic was trained on buildCriticPrompt's single-turn format and
 * should keep using that one.
 */
import type { ChatMessage } from '../types.ts';
import {
  CRITIC_SYSTEM_PROMPT,
  renderAttemptsSection,
  renderConversation,
  renderProposalSection,
  renderToolsSection,
  VERDICT_REQUEST,
} from './prompt.ts';
import type { CriticInput } from './types.ts';

export interface CriticTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What was sent so far in this episode's critic chat. */
export interface CriticConversation {
  /** The history messages already shown to the critic (the next history must start with these). */
  history: ChatMessage[];
  /** Every turn sent, starting with the system turn; ends with an assistant turn once the reply is recorded. */
  messages: CriticTurn[];
}

const INCREMENTAL_NOTE =
  'The conversation reaches you step by step: each user turn holds what happened since your previous verdict, then the next proposed action. Judge only the newest proposal.';

export function incrementalSystemPrompt(input: Pick<CriticInput, 'policy' | 'tools'>): string {
  return [CRITIC_SYSTEM_PROMPT, INCREMENTAL_NOTE, `# Policy\n${input.policy}`, renderToolsSection(input.tools)].filter(Boolean).join('\n\n');
}

// Deep equality of plain JSON data (messages come from zod-validated JSON).
const sameMessage = (a: ChatMessage, b: ChatMessage): boolean => JSON.stringify(a) === JSON.stringify(b);

/** True when `history` starts with every message of `prefix`, unchanged. */
export function extendsHistory(prefix: ChatMessage[], history: ChatMessage[]): boolean {
  if (prefix.length > history.length) return false;
  return prefix.every((m, i) => {
    const h = history[i];
    return h !== undefined && sameMessage(m, h);
  });
}

function userTurn(newMessages: ChatMessage[], first: boolean, input: CriticInput): string {
  const conversation = renderConversation(newMessages);
  const heading = first ? '# Conversation so far' : '# Conversation since your previous verdict';
  const parts = [
    `${heading}\n${conversation || (first ? '(empty)' : '(nothing new)')}`,
    renderAttemptsSection(input.previousAttempts),
    renderProposalSection(input.proposal),
    VERDICT_REQUEST,
  ];
  return parts.filter(Boolean).join('\n\n');
}

/**
 * The messages to send for `input`. When `prev` (with its reply recorded) has
 * the same system turn and `input.history` starts with `prev.history`, the
 * result is prev.messages plus one user turn holding only what is new, so the
 * engine's cache of prev covers all but that turn. Otherwise a fresh chat.
 */
export function nextCriticConversation(
  prev: CriticConversation | undefined,
  input: CriticInput,
): { messages: CriticTurn[]; state: CriticConversation; extended: boolean } {
  const system = incrementalSystemPrompt(input);
  const extended =
    prev !== undefined &&
    prev.messages[0]?.role === 'system' &&
    prev.messages[0].content === system &&
    prev.messages.at(-1)?.role === 'assistant' &&
    extendsHistory(prev.history, input.history);
  const base: CriticTurn[] = extended ? prev.messages : [{ role: 'system', content: system }];
  const fresh = input.history.slice(extended ? prev.history.length : 0);
  const messages: CriticTurn[] = [...base, { role: 'user', content: userTurn(fresh, !extended, input) }];
  return { messages, state: { history: [...input.history], messages }, extended };
}

/** The chat after the model answered `text`: what the next request must start with. */
export function withVerdict(state: CriticConversation, text: string): CriticConversation {
  return { history: state.history, messages: [...state.messages, { role: 'assistant', content: text }] };
}
