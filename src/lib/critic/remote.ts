import { providerActor } from '../actor/index.ts';
import type { OpenAIClientOptions } from '../actor/openai.ts';
import type { ProviderConfig } from '../actor/provider.ts';
import type { Actor } from '../actor/actor-interface.ts';
import type { Verdict } from '../contracts.ts';
import { ContextOverflowError } from '../errors.ts';
import { budgetForWindow, criticPrompt, estimateTokens, memoCounter, type PromptBudget } from './prompt.ts';
import type { Critic, CriticInput } from './critic-interface.ts';
import { verdictFromText } from './verdict.ts';

/**
 * A critic behind any chat endpoint (OpenAI-compatible or Anthropic): a large
 * proprietary model as the paper's baselines, or a team's own vLLM server.
 */
export class RemoteCritic implements Critic {
  readonly label: string;
  readonly model: string;
  /** The API style it is called through, recorded in its verdicts. */
  readonly kind: ProviderConfig['kind'];
  readonly #model: Actor;
  readonly #budget: PromptBudget | undefined;

  /**
   * `contextWindow` (tokens, none by default) makes the remote critic keep to
   * a window, e.g. a large hosted model standing in for a small model's 4k;
   * its tokenizer is unknown, so prompts are counted with estimateTokens.
   */
  constructor(
    cfg: ProviderConfig,
    opts: OpenAIClientOptions = {},
    readonly contextWindow?: number,
  ) {
    this.label = `remote:${cfg.model}`;
    this.model = cfg.model;
    this.kind = cfg.kind;
    this.#model = providerActor({ ...cfg, stream: false }, opts);
    this.#budget = contextWindow ? budgetForWindow(contextWindow, memoCounter(estimateTokens)) : undefined;
  }

  async judge(input: CriticInput, signal: AbortSignal): Promise<Verdict> {
    const { prompt, fit } = criticPrompt(input, this.#budget);
    if (this.contextWindow && fit && !fit.fits) throw ContextOverflowError.of(fit.tokens, this.contextWindow);
    const reply = await this.#model.propose({ system: prompt.system, messages: [{ role: 'user', content: prompt.user }], tools: [] }, signal);
    const text = reply.action.kind === 'message' ? reply.action.content : (reply.action.content ?? '');
    return { ...verdictFromText(text, this.label, reply.latencyMs, reply.usage), engine: this.kind, model: this.model };
  }
}
