/**
 * The critic prompt budget: the one place that decides what a critic prompt
 * leaves out when it would not fit the critic's context window. Every prompt
 * path uses it (single-turn engines, the remote critic, the incremental chat,
 * the training-data export), so a fine-tuned critic sees in training what it
 * sees at run time.
 *
 * Order, fixed: (1) the bodies of older tool observations keep a head and a
 * tail with a marker saying how much went; (2) the oldest messages go, with a
 * marker saying how many. Never shortened: the policy, the tool list, the last
 * KEEP_LAST_MESSAGES messages, the earlier rejected attempts of this step, the
 * proposal. Both stages move in chunks of CHUNK_MESSAGES messages, so a
 * growing episode keeps the same shortened prefix for several steps and the
 * engines' KV reuse keeps working.
 *
 * Counting is per piece (each rendered message, each fixed section), summed
 * with one token per piece for boundary effects, so a memoised counter counts
 * each message once per episode. The engine still checks the exact prompt.
 */
import type { ChatMessage } from '../types.ts';
import { memoCounter, type TokenCounter } from '../engines/types.ts';
import {
  CONVERSATION_HEADING,
  CRITIC_SYSTEM_PROMPT,
  LATER_CONVERSATION_HEADING,
  buildCriticPrompt,
  omittedMessagesMarker,
  renderAttemptsSection,
  renderMessage,
  renderPolicySection,
  renderProposalSection,
  renderToolsSection,
  VERDICT_REQUEST,
} from './prompt.ts';
import type { CriticInput } from './types.ts';

/** Counting lives with the engines (each counts with its model's tokenizer); re-exported for the budget's users. */
export { memoCounter, type TokenCounter };

export interface PromptBudget {
  /** Most tokens the prompt may take: the context window minus VERDICT_RESERVE_TOKENS. */
  maxTokens: number;
  count: TokenCounter;
}

/** The newest messages are never shortened: the critic judges the proposal against them. */
export const KEEP_LAST_MESSAGES = 6;
/** Shortening moves in steps of this many messages (coarse, so the prompt prefix stays stable). */
export const CHUNK_MESSAGES = 12;
/** A shortened observation keeps this many characters from its start and end. */
export const OBSERVATION_HEAD_CHARS = 400;
export const OBSERVATION_TAIL_CHARS = 200;
/** Tokens kept free for the verdict (the engines' default maxNewTokens) and chat-template headers. */
export const VERDICT_RESERVE_TOKENS = 256;
export const TEMPLATE_TOKENS = 32;

/**
 * A remote critic's tokenizer is unknown: estimate 3 characters per token.
 * Conservative for tau-bench text (English prose runs ~4 characters per token
 * in GPT/Qwen/Llama tokenizers; ids, dates and JSON punctuation run nearer 3).
 */
export const ESTIMATE_CHARS_PER_TOKEN = 3;
export const estimateTokens: TokenCounter = (text) => Math.ceil(text.length / ESTIMATE_CHARS_PER_TOKEN);

export const shortenedObservationMarker = (n: number): string => `[... ${n} characters left out ...]`;

/** The body of an older tool observation as the budget shortens it; unchanged when short. */
export function shortenObservation(content: string): string {
  const keep = OBSERVATION_HEAD_CHARS + OBSERVATION_TAIL_CHARS;
  // Only worth it when the cut saves more than the marker costs.
  if (content.length <= keep + 64) return content;
  const cut = content.length - keep;
  return `${content.slice(0, OBSERVATION_HEAD_CHARS)}${shortenedObservationMarker(cut)}${content.slice(content.length - OBSERVATION_TAIL_CHARS)}`;
}

export interface BudgetedPrompt {
  /** The input as the critic sees it: history without the omitted messages, older observations shortened. */
  input: CriticInput;
  /** How many of the oldest messages were left out, and their characters. */
  omitted: number;
  omittedChars: number;
  /** How many older tool observations were shortened, and the characters cut from them. */
  shortenedObservations: number;
  shortenedChars: number;
  /** The prompt's token count as the budget sums it (an upper estimate of the exact count). */
  tokens: number;
  /** False when even the fully shortened prompt exceeds the budget: the caller reports `context-overflow`. */
  fits: boolean;
}

/** A level of shortening: observations shortened in history[0, shortenBefore), history[0, omit) left out. */
interface Level {
  shortenBefore: number;
  omit: number;
}

function levels(historyLength: number): Level[] {
  const old = Math.max(0, historyLength - KEEP_LAST_MESSAGES);
  const steps = (limit: number) => {
    const out: number[] = [];
    for (let c = CHUNK_MESSAGES; c < limit; c += CHUNK_MESSAGES) out.push(c);
    if (limit > 0) out.push(limit);
    return out;
  };
  return [
    { shortenBefore: 0, omit: 0 },
    ...steps(old).map((c) => ({ shortenBefore: c, omit: 0 })),
    ...steps(old).map((d) => ({ shortenBefore: old, omit: d })),
  ];
}

function shortenAt(m: ChatMessage, i: number, level: Level): ChatMessage {
  return m.role === 'tool' && i < level.shortenBefore ? { ...m, content: shortenObservation(m.content) } : m;
}

/** Every text whose count the budget may ask for, for engines that count asynchronously (in a worker). */
export function budgetPieces(input: CriticInput, system = CRITIC_SYSTEM_PROMPT): string[] {
  const pieces = [system, ...fixedPieces(input), LATER_CONVERSATION_HEADING];
  for (const m of input.history) {
    pieces.push(renderMessage(m));
    if (m.role === 'tool') pieces.push(renderMessage({ ...m, content: shortenObservation(m.content) }));
  }
  return pieces;
}

function fixedPieces(input: CriticInput): string[] {
  return [
    renderPolicySection(input.policy),
    renderToolsSection(input.tools),
    CONVERSATION_HEADING,
    renderAttemptsSection(input.previousAttempts),
    renderProposalSection(input.proposal),
    VERDICT_REQUEST,
  ];
}

/** Sum of piece counts plus one token per piece for the joins. */
function sumTokens(pieces: readonly string[], count: TokenCounter): number {
  let n = 0;
  for (const p of pieces) if (p) n += count(p) + 1;
  return n;
}

/** Token count of the rendered messages at each level, from per-message counts. */
function historyTokens(history: readonly ChatMessage[], level: Level, count: TokenCounter): number {
  let n = level.omit > 0 ? count(omittedMessagesMarker(level.omit)) + 1 : 0;
  for (let i = level.omit; i < history.length; i++) {
    const m = history[i];
    if (!m) continue;
    const line = renderMessage(shortenAt(m, i, level));
    if (line) n += count(line) + 1;
  }
  return n;
}

/**
 * Fits the single-turn critic prompt (buildCriticPrompt) into `budget` at the
 * first level that fits. Pure and deterministic: the same input and budget
 * always give the same prompt.
 */
export function fitCriticInput(input: CriticInput, budget: PromptBudget, system = CRITIC_SYSTEM_PROMPT): BudgetedPrompt {
  const fixed = TEMPLATE_TOKENS + sumTokens([system, ...fixedPieces(input)], budget.count);
  const all = levels(input.history.length);
  let chosen = all[all.length - 1] ?? { shortenBefore: 0, omit: 0 };
  let tokens = 0;
  for (const level of all) {
    tokens = fixed + historyTokens(input.history, level, budget.count);
    chosen = level;
    if (tokens <= budget.maxTokens) break;
  }
  let shortenedObservations = 0;
  let shortenedChars = 0;
  let omittedChars = 0;
  const history: ChatMessage[] = [];
  input.history.forEach((m, i) => {
    if (i < chosen.omit) {
      omittedChars += renderMessage(m).length;
      return;
    }
    const s = shortenAt(m, i, chosen);
    if (s !== m && s.content !== m.content) {
      shortenedObservations++;
      shortenedChars += m.content.length - s.content.length;
    }
    history.push(s);
  });
  return {
    input: { ...input, history },
    omitted: chosen.omit,
    omittedChars,
    shortenedObservations,
    shortenedChars,
    tokens,
    fits: tokens <= budget.maxTokens,
  };
}

/** buildCriticPrompt within a budget; no budget: the full prompt. */
export function budgetedCriticPrompt(input: CriticInput, budget: PromptBudget | undefined): { prompt: { system: string; user: string }; fit: BudgetedPrompt | undefined } {
  if (!budget) return { prompt: buildCriticPrompt(input), fit: undefined };
  const fit = fitCriticInput(input, budget);
  return { prompt: buildCriticPrompt(fit.input, fit.omitted), fit };
}

/** The budget for a context window: the window minus the verdict reserve. */
export function budgetForWindow(contextWindow: number, count: TokenCounter): PromptBudget {
  return { maxTokens: Math.max(0, contextWindow - VERDICT_RESERVE_TOKENS), count };
}
