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
 *
 * With a budget, the chat grows until the next turn would pass the window;
 * then a fresh chat starts whose first turn the budget (budget.ts) fits into
 * RESTART_FRACTION of it, so the chat has room to grow again for many steps
 * (one cache rebuild per restart, not one per step).
 */
import type { ChatMessage } from '../types.ts';
import type { ChatTurn } from '../engines/types.ts';
import { fitCriticInput, type BudgetedPrompt, type PromptBudget, type TokenCounter } from './budget.ts';
import {
  CONVERSATION_HEADING,
  CRITIC_SYSTEM_PROMPT,
  LATER_CONVERSATION_HEADING,
  renderAttemptsSection,
  renderConversation,
  renderMessage,
  renderProposalSection,
  renderToolsSection,
  VERDICT_REQUEST,
} from './prompt.ts';
import type { CriticInput } from './types.ts';

export type CriticTurn = ChatTurn;

/** What was sent so far in this episode's critic chat. */
export interface CriticConversation {
  /** The history messages already shown to the critic (the next history must start with these). */
  history: ChatMessage[];
  /** Every turn sent, starting with the system turn; ends with an assistant turn once the reply is recorded. */
  messages: CriticTurn[];
  /** The chat's tokens as the budget counts them (0 without a budget). */
  tokens: number;
}

/** A restarted chat's first turn fits into this share of the budget, leaving the rest for the turns that follow. */
export const RESTART_FRACTION = 0.75;
/** Per-turn chat-template tokens (role header and end-of-turn). */
export const TURN_TOKENS = 8;

const INCREMENTAL_NOTE =
  'The conversation reaches you step by step: each user turn holds what happened since your previous verdict, then the next proposed action. Judge only the newest proposal.';

/** The system turn without the policy and tools, as the budget counts it (it counts those separately). */
export const INCREMENTAL_HEADER = `${CRITIC_SYSTEM_PROMPT}\n\n${INCREMENTAL_NOTE}`;

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

/** A follow-up turn's tokens, summed per piece as the budget does (the pieces are counted once per episode). */
function turnTokens(newMessages: ChatMessage[], input: CriticInput, count: TokenCounter): number {
  const pieces = [LATER_CONVERSATION_HEADING, ...newMessages.map(renderMessage), renderAttemptsSection(input.previousAttempts), renderProposalSection(input.proposal), VERDICT_REQUEST];
  let n = TURN_TOKENS;
  for (const p of pieces) if (p) n += count(p) + 1;
  return n;
}


function userTurn(newMessages: ChatMessage[], first: boolean, input: CriticInput, omitted = 0): string {
  const conversation = renderConversation(newMessages, omitted);
  const heading = first ? CONVERSATION_HEADING : LATER_CONVERSATION_HEADING;
  const parts = [
    `${heading}\n${conversation || (first ? '(empty)' : '(nothing new)')}`,
    renderAttemptsSection(input.previousAttempts),
    renderProposalSection(input.proposal),
    VERDICT_REQUEST,
  ];
  return parts.filter(Boolean).join('\n\n');
}

export interface NextCriticConversation {
  messages: CriticTurn[];
  state: CriticConversation;
  extended: boolean;
  /** What the budget did to a fresh chat's first turn (undefined without a budget or when extended). */
  fit?: BudgetedPrompt;
  /** False when even a fresh, fully shortened chat exceeds the budget. */
  fits: boolean;
}

/**
 * The messages to send for `input`. When `prev` (with its reply recorded) has
 * the same system turn, `input.history` starts with `prev.history`, and the
 * new turn still fits `budget`, the result is prev.messages plus one user
 * turn holding only what is new, so the engine's cache of prev covers all but
 * that turn. Otherwise a fresh chat, fitted by the budget.
 */
export function nextCriticConversation(prev: CriticConversation | undefined, input: CriticInput, budget?: PromptBudget): NextCriticConversation {
  const system = incrementalSystemPrompt(input);
  const canExtend =
    prev !== undefined &&
    prev.messages[0]?.role === 'system' &&
    prev.messages[0].content === system &&
    prev.messages.at(-1)?.role === 'assistant' &&
    extendsHistory(prev.history, input.history);
  if (canExtend) {
    const fresh = input.history.slice(prev.history.length);
    const turn = userTurn(fresh, false, input);
    const tokens = budget ? prev.tokens + turnTokens(fresh, input, budget.count) : 0;
    if (!budget || tokens <= budget.maxTokens) {
      const messages: CriticTurn[] = [...prev.messages, { role: 'user', content: turn }];
      return { messages, state: { history: [...input.history], messages, tokens }, extended: true, fits: true };
    }
  }
  let fit: BudgetedPrompt | undefined;
  if (budget) {
    // The policy and tools sit in the system turn here; fitCriticInput counts them with the other fixed parts.
    fit = fitCriticInput(input, { ...budget, maxTokens: Math.floor(budget.maxTokens * RESTART_FRACTION) }, INCREMENTAL_HEADER);
    if (!fit.fits) fit = fitCriticInput(input, budget, INCREMENTAL_HEADER);
  }
  const first = userTurn(fit?.input.history ?? input.history, true, input, fit?.omitted ?? 0);
  const messages: CriticTurn[] = [
    { role: 'system', content: system },
    { role: 'user', content: first },
  ];
  const tokens = fit ? fit.tokens : 0;
  return {
    messages,
    state: { history: [...input.history], messages, tokens },
    extended: false,
    ...(fit ? { fit } : {}),
    fits: !budget || tokens <= budget.maxTokens,
  };
}

/** The chat after the model answered `text`: what the next request must start with. */
export function withVerdict(state: CriticConversation, text: string, textTokens = 0): CriticConversation {
  const tokens = state.tokens > 0 ? state.tokens + textTokens + TURN_TOKENS : 0;
  return { history: state.history, messages: [...state.messages, { role: 'assistant', content: text }], tokens };
}

/** What a critic can prepare before the proposal exists: the input without it. */
export type PreparedInput = Omit<CriticInput, 'proposal'>;

/** Stands in for the proposal while the prompt before it is built; cut off again before prefilling. */
const PROPOSAL_PLACEHOLDER: CriticInput['proposal'] = { kind: 'message', content: '' };

/**
 * The turns to prefill for `prepared`: the chat the verdict request will send,
 * with its last user turn cut just before the proposal section. The same
 * budget decisions as the request (the proposal is a few tokens), so the
 * request extends the prefilled tokens in all but rare cases; then the engine
 * simply prefills afresh.
 */
export function openTurnsBeforeProposal(turns: readonly CriticTurn[]): CriticTurn[] {
  const last = turns.at(-1);
  if (!last) return [];
  const cut = last.content.lastIndexOf('# Proposed next action');
  return [...turns.slice(0, -1), { ...last, content: cut >= 0 ? last.content.slice(0, cut) : last.content }];
}

export const withPlaceholderProposal = (prepared: PreparedInput): CriticInput => ({ ...prepared, proposal: PROPOSAL_PLACEHOLDER });
