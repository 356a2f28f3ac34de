/**
 * The critic's prompt: the one module that renders it and fits it to the
 * critic's context window. Every path that shows a critic a decision point
 * (the remote critic, the web-llm and transformers.js critics, exam grading,
 * the training-data export, the teacher labels, the bench) comes here, and a
 * request for a verdict never needs another file to build its prompt.
 *
 * The interface is one builder, criticPrompt(input, budget?, chat?):
 *   input   the decision point (CriticInput)
 *   budget  the window minus the verdict reserve, with the model's token
 *           counter (budgetForWindow); none: the whole prompt
 *   chat    only for the incremental (KV-reuse) style: the episode's critic
 *           chat so far; the prompt then extends it where it can
 * and it returns the turns to send plus the fit report: the tokens as the
 * budget summed them, what was trimmed (observations shortened, oldest
 * messages left out) and whether it fits (else the caller reports
 * `context-overflow`). Single-turn is the training format: a fine-tuned critic
 * sees at run time exactly what it saw in training.
 *
 * Sections below, in order: rendering (the text of each part), the budget
 * (what a prompt leaves out to fit), policy sections (an option of the
 * budget, off by default), the incremental chat, the builder.
 */
import type { Action, ChatMessage } from '../contracts.ts';
import { memoCounter, type ChatTurn, type TokenCounter } from '../engines/engine-interface.ts';
import type { CriticInput } from './critic-interface.ts';

/** Counting lives with the engines (each counts with its model's tokenizer); re-exported for the prompt's users. */
export { memoCounter, type TokenCounter };

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------


export const CRITIC_SYSTEM_PROMPT = `You are a critic supervising a customer-service AI agent. Before each of the agent's actions takes effect, you check it against the policy and the conversation so far.

Approve the action unless it clearly breaks the policy, acts without required confirmation or verification, uses wrong or unverified arguments, contradicts facts in the conversation, or misleads the user.

Answer with one JSON object and nothing else, with the decision first:
{"decision": "approve"}
or
{"decision": "revise", "category": "<short problem label>", "feedback": "<what is wrong and what the agent should do instead>"}`;

export function renderAction(a: Action): string {
  if (a.kind === 'message') return `Message to the user:\n${a.content}`;
  return `Tool call: ${a.call.name}(${JSON.stringify(a.call.arguments)})`;
}

export function renderMessage(m: ChatMessage): string {
  switch (m.role) {
    case 'user':
      return `USER: ${m.content}`;
    case 'assistant': {
      const calls = (m.toolCalls ?? []).map((c) => `AGENT calls ${c.name}(${JSON.stringify(c.arguments)})`);
      return [m.content ? `AGENT: ${m.content}` : '', ...calls].filter(Boolean).join('\n');
    }
    case 'tool':
      return `TOOL ${m.name} returned: ${m.content}`;
  }
}

/** The tool list as the critic sees it; '' when the agent has no tools. */
export function renderToolsSection(tools: CriticInput['tools']): string {
  const list = tools.map((t) => `- ${t.function.name}: ${t.function.description ?? ''}`).join('\n');
  return list ? `# Tools available to the agent\n${list}` : '';
}

/** The line that stands for the oldest messages when a prompt budget left them out. */
export const omittedMessagesMarker = (n: number): string => `(${n} earlier messages left out to fit the critic's context window)`;

/** Conversation lines, one rendered message after another (messages that render empty are skipped); `omitted` earlier messages become one marker line. */
export function renderConversation(history: ChatMessage[], omitted = 0): string {
  const lines = history.map(renderMessage).filter(Boolean);
  return (omitted > 0 ? [omittedMessagesMarker(omitted), ...lines] : lines).join('\n');
}

/** The rejected proposals of this step with their feedback; '' when there are none. */
export function renderAttemptsSection(attempts: CriticInput['previousAttempts']): string {
  if (attempts.length === 0) return '';
  return `# Earlier proposals for this step, already rejected\n${attempts
    .map((p, i) => `${i + 1}. ${renderAction(p.action)}\n   Feedback: ${p.feedback}`)
    .join('\n')}`;
}

export const renderPolicySection = (policy: string): string => `# Policy\n${policy}`;

export const renderProposalSection = (proposal: Action): string => `# Proposed next action\n${renderAction(proposal)}`;

export const VERDICT_REQUEST = 'Your verdict as JSON:';

/** Headings of the conversation section: the whole of it, or (incremental chat) what is new since the previous verdict. */
export const CONVERSATION_HEADING = '# Conversation so far';
export const LATER_CONVERSATION_HEADING = '# Conversation since your previous verdict';

/**
 * The exact text a critic sees at one decision point. Training examples are
 * built with this same function, so a fine-tuned critic sees at run time what
 * it saw in training. The history comes before the proposal so that, step
 * after step, prompts share their prefix and engines can reuse the KV cache.
 * `omitted` is set by the budget (fitCriticInput below) when it left out
 * the oldest messages; `input.history` then holds only the rest.
 */
export function buildCriticPrompt(input: CriticInput, omitted = 0): { system: string; user: string } {
  const parts = [
    renderPolicySection(input.policy),
    renderToolsSection(input.tools),
    `${CONVERSATION_HEADING}\n${renderConversation(input.history, omitted) || '(empty)'}`,
    renderAttemptsSection(input.previousAttempts),
    renderProposalSection(input.proposal),
    VERDICT_REQUEST,
  ];
  return { system: CRITIC_SYSTEM_PROMPT, user: parts.filter(Boolean).join('\n\n') };
}

// ---------------------------------------------------------------------------
// The budget
// ---------------------------------------------------------------------------

/*
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

export interface PromptBudget {
  /** Most tokens the prompt may take: the context window minus VERDICT_RESERVE_TOKENS. */
  maxTokens: number;
  count: TokenCounter;
  /** Which policy the critic sees: the whole text (the default), or only the sections that concern the proposal (policySections). */
  policy?: PolicyView;
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

/** The budget for a context window: the window minus the verdict reserve. */
export function budgetForWindow(contextWindow: number, count: TokenCounter, policy: PolicyView = 'whole'): PromptBudget {
  return { maxTokens: Math.max(0, contextWindow - VERDICT_RESERVE_TOKENS), count, ...(policy === 'whole' ? {} : { policy }) };
}

// ---------------------------------------------------------------------------
// Policy sections (an option, off by default)
// ---------------------------------------------------------------------------

/**
 * 'whole': the policy as written. 'sections': its preamble, every heading,
 * the text under each title (a single '#'), and the bodies of the sections
 * that mention the proposal (the tool it calls,
 * the words of the message it sends) or a tool called in the newest messages;
 * words that more than half the sections use tell nothing and are ignored. Measured
 * against the whole policy in `npm run bench` (prompt tokens per τ³ domain);
 * whether a small critic judges better with it needs a GPU run and is not
 * known, so the default stays 'whole'. A critic with the incremental prompt
 * style gets a different system turn whenever the sections change, which
 * costs its KV reuse.
 */
export type PolicyView = 'whole' | 'sections';

export const policySectionsMarker = (n: number): string => `(${n} policy sections that do not concern this action are left out; their headings stay)`;

interface PolicySection {
  heading: string;
  body: string;
}

function splitSections(policy: string): { preamble: string; sections: PolicySection[] } {
  const lines = policy.split('\n');
  const preamble: string[] = [];
  const sections: PolicySection[] = [];
  for (const line of lines) {
    if (/^#{1,6}\s/.test(line)) sections.push({ heading: line, body: '' });
    else {
      const last = sections.at(-1);
      if (last) last.body += `${line}\n`;
      else preamble.push(line);
    }
  }
  return { preamble: preamble.join('\n'), sections };
}

/** Lower-case words of 4+ letters, a plural's final s dropped. */
function words(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().split(/[^a-z]+/)) if (w.length >= 4) out.add(w.replace(/s$/, ''));
  return out;
}

/** What the proposal is about: its tool (name and words) or its message's words, and the tools called in the newest messages. */
function proposalTerms(input: Pick<CriticInput, 'proposal' | 'history'>): { names: string[]; words: Set<string> } {
  const names: string[] = input.proposal.kind === 'tool_call' ? [input.proposal.call.name] : [];
  const text = input.proposal.kind === 'tool_call' ? input.proposal.call.name.replaceAll('_', ' ') : input.proposal.content;
  for (const m of input.history.slice(-KEEP_LAST_MESSAGES)) {
    if (m.role === 'tool') names.push(m.name);
    if (m.role === 'assistant') for (const c of m.toolCalls ?? []) names.push(c.name);
  }
  return { names, words: words(`${text} ${names.join(' ').replaceAll('_', ' ')}`) };
}

/** The policy as the 'sections' view shows it for `input` (see PolicyView); the whole policy when it has no sections or all concern the proposal. */
export function policySections(input: Pick<CriticInput, 'policy' | 'proposal' | 'history'>): string {
  const { preamble, sections } = splitSections(input.policy);
  if (sections.length === 0) return input.policy;
  const sectionWords = sections.map((sec) => words(`${sec.heading} ${sec.body}`));
  const { names, words: terms } = proposalTerms(input);
  const informative = [...terms].filter((w) => sectionWords.filter((ws) => ws.has(w)).length * 2 <= sections.length);
  // A title's own text (under a single '#': the general rules) always stays.
  const keep = sections.map(
    (sec, i) => /^#\s/.test(sec.heading) || names.some((n) => sec.body.includes(n) || sec.heading.includes(n)) || informative.some((w) => sectionWords[i]?.has(w)),
  );
  const left = keep.filter((k) => !k).length;
  if (left === 0) return input.policy;
  const parts = sections.map((sec, i) => (keep[i] ? `${sec.heading}\n${sec.body}` : `${sec.heading}\n`));
  return `${preamble}${preamble ? '\n' : ''}${parts.join('')}${policySectionsMarker(left)}`;
}

// ---------------------------------------------------------------------------
// The incremental chat
// ---------------------------------------------------------------------------

/*
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
 * then a fresh chat starts whose first turn the budget fits into
 * RESTART_FRACTION of it, so the chat has room to grow again for many steps
 * (one cache rebuild per restart, not one per step).
 */

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
  return [CRITIC_SYSTEM_PROMPT, INCREMENTAL_NOTE, renderPolicySection(input.policy), renderToolsSection(input.tools)].filter(Boolean).join('\n\n');
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

// ---------------------------------------------------------------------------
// The builder
// ---------------------------------------------------------------------------

/** The incremental style's state: the episode's critic chat so far (with its last reply recorded by withVerdict), or none. */
export interface ChatMode {
  previous: CriticConversation | undefined;
}

/** A critic prompt ready to send, with what the budget did to it. */
export interface CriticPrompt {
  /** Every turn to send: system, user, and in an extended chat the earlier verdicts and turns. */
  turns: CriticTurn[];
  /** The system turn and the last user turn: the whole request in the single-turn style. */
  prompt: { system: string; user: string };
  /** What the budget did: undefined without a budget, or when an incremental chat was extended (nothing was refitted). */
  fit: BudgetedPrompt | undefined;
  /** The prompt's tokens as the budget sums them (0 without a budget). */
  tokens: number;
  /** False when even the fully shortened prompt exceeds the budget: the caller reports `context-overflow`. */
  fits: boolean;
  /** Incremental style: the chat this request leaves (record the reply with withVerdict) and whether it extended the previous one. */
  chat?: CriticConversation;
  extended: boolean;
}

/**
 * The critic's prompt for `input`, fitted to `budget` (none: the whole
 * prompt). Without `chat`, the single-turn prompt (buildCriticPrompt's
 * format); with it, the incremental style, extending `chat.previous` where it
 * can (nextCriticConversation). Pure and deterministic.
 */
export function criticPrompt(given: CriticInput, budget?: PromptBudget, chat?: ChatMode): CriticPrompt {
  const input = budget?.policy === 'sections' ? { ...given, policy: policySections(given) } : given;
  if (chat) {
    const next = nextCriticConversation(chat.previous, input, budget);
    const system = next.messages[0]?.content ?? '';
    const user = next.messages.at(-1)?.content ?? '';
    return { turns: next.messages, prompt: { system, user }, fit: next.fit, tokens: next.state.tokens, fits: next.fits, chat: next.state, extended: next.extended };
  }
  const fit = budget ? fitCriticInput(input, budget) : undefined;
  const prompt = fit ? buildCriticPrompt(fit.input, fit.omitted) : buildCriticPrompt(input);
  const turns: CriticTurn[] = [
    { role: 'system', content: prompt.system },
    { role: 'user', content: prompt.user },
  ];
  return { turns, prompt, fit, tokens: fit?.tokens ?? 0, fits: fit?.fits ?? true, extended: false };
}
