/**
 * The web-llm critic: EngineCritic over a WebLLMEngine, with the critic's
 * side of web-llm's KV-cache reuse (the episode's chat) and token counting in
 * web-llm's worker. Its own file, so the transformers.js worker, which imports
 * engine-critic.ts, carries none of it.
 */
import { ContextOverflowError } from '../errors.ts';
import type { GenerateOptions, GenerateResult } from '../engines/engine-interface.ts';
import type { WebLLMEngine } from '../engines/webllm.ts';
import type { Verdict } from '../contracts.ts';
import { EngineCritic, type JudgeStats } from './engine-critic.ts';
import { budgetForWindow, budgetPieces, criticPrompt, estimateTokens, INCREMENTAL_HEADER, withVerdict, type CriticConversation, type PromptBudget } from './prompt.ts';
import type { CriticInput } from './critic-interface.ts';
import { VERDICT_JSON_SCHEMA } from './verdict.ts';

/** web-llm builds its grammar from this text on every request: serialise it once. */
const VERDICT_SCHEMA_TEXT = JSON.stringify(VERDICT_JSON_SCHEMA);

/**
 * The critic over a WebLLMEngine, in the engine's prompt style: 'incremental'
 * grows one chat per episode (web-llm reuses the KV cache), 'single-turn' is
 * EngineCritic's buildCriticPrompt request unchanged. Counts tokens with the
 * model's own tokenizer, in the worker, before each verdict (the budget is synchronous).
 */
export class WebLLMCritic extends EngineCritic {
  /** The critic chat web-llm's KV cache holds, with its reply recorded; undefined after a reset or a failure. */
  #conversation: CriticConversation | undefined;
  /** Tokens that chat holds in web-llm's KV cache (prompt + reply tokens of every round, as web-llm counted them). */
  #cachedTokens = 0;
  /** The engine's chat count right after this critic's last request: any other request since broke the chat. */
  #atChats = -1;
  /** Token counts from the model's tokenizer, per text: messages repeat in every prompt of an episode. */
  readonly #counts = new Map<string, number>();

  constructor(
    private readonly webllm: WebLLMEngine,
    private readonly maxTokens = 256,
  ) {
    super(webllm, maxTokens, VERDICT_SCHEMA_TEXT);
  }

  /**
   * The prompt budget for `input`: the window minus the verdict reserve, with
   * every piece the budget may count counted by the model's tokenizer first
   * (new pieces only). A text the budget asks for beyond those is estimated.
   */
  async budgetFor(input: CriticInput): Promise<PromptBudget> {
    const pieces = [...new Set([...budgetPieces(input), ...budgetPieces(input, INCREMENTAL_HEADER)])].filter((p) => p && !this.#counts.has(p));
    if (pieces.length > 0) {
      if (this.#counts.size > 20_000) this.#counts.clear();
      const counts = await this.webllm.countTokens(pieces);
      pieces.forEach((p, i) => this.#counts.set(p, counts[i] ?? estimateTokens(p)));
    }
    return budgetForWindow(this.webllm.contextWindow, (text) => this.#counts.get(text) ?? estimateTokens(text));
  }

  override async judgeWithStats(input: CriticInput, signal: AbortSignal): Promise<{ verdict: Verdict; stats: JudgeStats }> {
    const budget = await this.budgetFor(input);
    if (this.webllm.promptStyle === 'single-turn') return this.judgeSingleTurn(input, budget, signal);
    return this.result(await this.#generateIncremental(input, { maxNewTokens: this.maxTokens, jsonSchema: VERDICT_SCHEMA_TEXT }, signal, budget));
  }

  #forget(): void {
    this.#conversation = undefined;
    this.#cachedTokens = 0;
  }

  override async forget(): Promise<void> {
    this.#forget();
  }

  /**
   * One verdict request in the incremental style: extends the episode's critic
   * chat when `input.history` extends what was sent before, else starts a new
   * one. prefillTokens is web-llm's own count of tokens prefilled this request;
   * reusedTokens is what the previous rounds left in the cache (web-llm's
   * prompt + completion counts), so within ±1 token per round: web-llm does not
   * report the cache length. If something else chats with the same engine in
   * between through the MLC engine itself (the local actor's chatEngine),
   * web-llm resets and prefills all: correct, only slower, but then
   * reusedTokens overstates the reuse.
   */
  async #generateIncremental(input: CriticInput, req: GenerateOptions, signal: AbortSignal, budget: PromptBudget): Promise<GenerateResult> {
    if (this.webllm.chats !== this.#atChats) this.#forget();
    const next = criticPrompt(input, budget, { previous: this.#conversation });
    if (!next.fits) throw ContextOverflowError.of(next.tokens, this.webllm.contextWindow);
    const reused = next.extended ? this.#cachedTokens : 0;
    this.#forget();
    const { text, usage, latencyMs, finishReason } = await this.webllm.complete(next.turns, req, signal);
    // web-llm continues a chat only after a reply that stopped normally ("length"/"abort" force a reset).
    if (finishReason === 'stop' && next.chat) {
      this.#conversation = withVerdict(next.chat, text, usage.completionTokens);
      this.#cachedTokens = reused + usage.promptTokens + usage.completionTokens;
      this.#atChats = this.webllm.chats;
    }
    return { text, usage: { ...usage, promptTokens: reused + usage.promptTokens }, prefillTokens: usage.promptTokens, reusedTokens: reused, latencyMs };
  }
}
