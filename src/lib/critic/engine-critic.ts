/**
 * A Critic over any in-browser engine: builds the critic prompt within the
 * engine's prompt budget (a prompt that still cannot fit is a
 * `context-overflow` error), asks for a constrained JSON verdict, and parses
 * it strictly (malformed → `unparsed`). The engines only generate; every
 * critic decision (prompt, budget, verdict) is made here.
 */
import type { Verdict } from '../contracts.ts';
import type { CriticEngine, GenerateOptions, GenerateResult, PrefillResult } from '../engines/engine-interface.ts';
import { ContextOverflowError } from '../errors.ts';
import {
  budgetForWindow,
  criticPrompt,
  openTurnsBeforeProposal,
  VERDICT_RESERVE_TOKENS,
  withPlaceholderProposal,
  withVerdict,
  type CriticConversation,
  type PreparedInput,
  type PromptBudget,
} from './prompt.ts';
import type { Critic, CriticInput } from './critic-interface.ts';
import { verdictFromText } from './verdict.ts';

export interface JudgeStats {
  prefillTokens: number;
  reusedTokens: number;
}

export class EngineCritic implements Critic {
  readonly label: string;
  /** Prefill accounting of the latest verdict, for the bench and the panel. */
  lastStats: JudgeStats | undefined;
  /** Tokens prefilled by the latest preparation (0 when none ran). */
  lastPrepared: PrefillResult | undefined;
  /** The incremental chat so far, with the model's replies (incremental engines only). */
  #conversation: CriticConversation | undefined;

  /**
   * `decodingSchema`: the verdict's JSON schema, for engines that constrain
   * decoding with it (web-llm); engines that cannot (transformers.js) get none,
   * and their worker never builds it.
   */
  constructor(
    private readonly engine: CriticEngine,
    private readonly maxNewTokens = 256,
    private readonly decodingSchema?: string,
  ) {
    this.label = engine.label;
  }

  get contextWindow(): number | undefined {
    return this.engine.contextWindow;
  }

  get #incremental(): boolean {
    return this.engine.promptStyle === 'incremental' && this.engine.generateChat !== undefined;
  }

  /** The prompt budget of the loaded model (its window, its own tokenizer); none before load or without a window. */
  #promptBudget(): PromptBudget | undefined {
    const window = this.engine.contextWindow;
    const count = this.engine.tokenCounter?.();
    return window && count ? budgetForWindow(window, count) : undefined;
  }

  judgeWithStats(input: CriticInput, signal: AbortSignal): Promise<{ verdict: Verdict; stats: JudgeStats }> {
    const budget = this.#promptBudget();
    return this.#incremental ? this.#judgeIncremental(input, budget, signal) : this.judgeSingleTurn(input, budget, signal);
  }

  /**
   * Prefills the prompt up to the proposal while the actor is still writing
   * it, so the verdict request computes only the proposal and the verdict.
   * Changes no prompt and no verdict: the request is built exactly as without
   * it; only the engine's cache is warmer. A no-op for an engine without prefill.
   */
  async prepare(prepared: PreparedInput, signal: AbortSignal): Promise<void> {
    if (!this.engine.prefill) return;
    const input = withPlaceholderProposal(prepared);
    const budget = this.#promptBudget();
    const { turns, fits } = criticPrompt(input, budget, this.#incremental ? { previous: this.#conversation } : undefined);
    if (!fits) return;
    this.lastPrepared = await this.engine.prefill(openTurnsBeforeProposal(turns), signal);
  }

  async #judgeIncremental(input: CriticInput, budget: PromptBudget | undefined, signal: AbortSignal): Promise<{ verdict: Verdict; stats: JudgeStats }> {
    const generateChat = this.engine.generateChat?.bind(this.engine);
    if (!generateChat) throw new Error('unreachable: incremental engines generate chats');
    const next = criticPrompt(input, budget, { previous: this.#conversation });
    if (budget && !next.fits) throw ContextOverflowError.of(next.tokens, budget.maxTokens + VERDICT_RESERVE_TOKENS);
    this.#conversation = undefined;
    const r = await generateChat(next.turns, this.#options(), signal);
    if (next.chat) this.#conversation = withVerdict(next.chat, r.text, r.usage.completionTokens);
    return this.result(r);
  }

  #options(): GenerateOptions {
    return { maxNewTokens: this.maxNewTokens, ...(this.decodingSchema ? { jsonSchema: this.decodingSchema } : {}), stopAtJson: true };
  }

  protected result(r: GenerateResult): { verdict: Verdict; stats: JudgeStats } {
    const stats = { prefillTokens: r.prefillTokens, reusedTokens: r.reusedTokens };
    this.lastStats = stats;
    // Which engine and model judged, as fields: cost accounting reads these, not the label.
    const verdict = { ...verdictFromText(r.text, this.label, r.latencyMs, r.usage), engine: this.engine.kind, model: this.engine.model };
    return { verdict, stats };
  }

  /** buildCriticPrompt's request within `budget` (none: the whole prompt). */
  protected async judgeSingleTurn(input: CriticInput, budget: PromptBudget | undefined, signal: AbortSignal): Promise<{ verdict: Verdict; stats: JudgeStats }> {
    const { prompt, fit } = criticPrompt(input, budget);
    if (budget && fit && !fit.fits) throw ContextOverflowError.of(fit.tokens, budget.maxTokens + VERDICT_RESERVE_TOKENS);
    return this.result(await this.engine.generate({ ...prompt, ...this.#options() }, signal));
  }

  async forget(): Promise<void> {
    this.#conversation = undefined;
  }

  async judge(input: CriticInput, signal: AbortSignal): Promise<Verdict> {
    return (await this.judgeWithStats(input, signal)).verdict;
  }
}
