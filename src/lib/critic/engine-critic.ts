/**
 * A Critic over any in-browser engine: builds the critic prompt within the
 * engine's prompt budget (a prompt that still cannot fit is a
 * `context-overflow` error), asks for a constrained JSON verdict, and parses
 * it strictly (malformed → `unparsed`).
 */
import type { Verdict } from '../types.ts';
import type { CriticEngine, GenerateResult } from './engines/types.ts';
import { ContextOverflowError } from '../errors.ts';
import { budgetedCriticPrompt, VERDICT_RESERVE_TOKENS, type PromptBudget } from './budget.ts';
import { verdictFromText } from './remote.ts';
import type { Critic, CriticInput } from './types.ts';
import { VERDICT_JSON_SCHEMA } from './verdict.ts';

export interface JudgeStats {
  prefillTokens: number;
  reusedTokens: number;
}

export class EngineCritic implements Critic {
  readonly label: string;
  /** Prefill accounting of the latest verdict, for the bench and the panel. */
  lastStats: JudgeStats | undefined;

  constructor(
    private readonly engine: CriticEngine,
    private readonly maxNewTokens = 256,
  ) {
    this.label = engine.label;
  }

  get contextWindow(): number | undefined {
    return this.engine.contextWindow;
  }

  judgeWithStats(input: CriticInput, signal: AbortSignal): Promise<{ verdict: Verdict; stats: JudgeStats }> {
    return this.judgeSingleTurn(input, this.engine.promptBudget?.(), signal);
  }

  /** buildCriticPrompt's request within `budget` (none: the whole prompt). */
  protected async judgeSingleTurn(input: CriticInput, budget: PromptBudget | undefined, signal: AbortSignal): Promise<{ verdict: Verdict; stats: JudgeStats }> {
    const { prompt, fit } = budgetedCriticPrompt(input, budget);
    if (budget && fit && !fit.fits) throw ContextOverflowError.of(fit.tokens, budget.maxTokens + VERDICT_RESERVE_TOKENS);
    const r: GenerateResult = await this.engine.generate(
      { ...prompt, maxNewTokens: this.maxNewTokens, jsonSchema: JSON.stringify(VERDICT_JSON_SCHEMA), stopAtJson: true },
      signal,
    );
    const stats = { prefillTokens: r.prefillTokens, reusedTokens: r.reusedTokens };
    this.lastStats = stats;
    return { verdict: verdictFromText(r.text, this.label, r.latencyMs, r.usage), stats };
  }

  async judge(input: CriticInput, signal: AbortSignal): Promise<Verdict> {
    return (await this.judgeWithStats(input, signal)).verdict;
  }
}
