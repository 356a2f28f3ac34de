import { createActor } from '../actor/index.ts';
import type { OpenAIClientOptions } from '../actor/openai.ts';
import type { ProviderConfig } from '../actor/provider.ts';
import type { Actor } from '../actor/types.ts';
import type { Verdict } from '../types.ts';
import { buildCriticPrompt } from './prompt.ts';
import type { Critic, CriticInput } from './types.ts';
import { parseVerdict } from './verdict.ts';

/** Turns raw critic text into a Verdict; malformed output becomes `unparsed`, never an exception. */
export function verdictFromText(raw: string, critic: string, latencyMs: number, usage?: Verdict['usage']): Verdict {
  const p = parseVerdict(raw);
  const base = { critic, latencyMs, raw, ...(usage ? { usage } : {}) };
  if (p.decision === 'unparsed') return { ...base, decision: 'unparsed', error: p.error };
  return {
    ...base,
    decision: p.decision,
    ...(p.feedback ? { feedback: p.feedback } : {}),
    ...(p.category ? { category: p.category } : {}),
  };
}

/**
 * A critic behind any chat endpoint (OpenAI-compatible or Anthropic): a large
 * proprietary model as the paper's baselines, or a team's own vLLM server.
 */
export class RemoteCritic implements Critic {
  readonly label: string;
  readonly #model: Actor;

  constructor(cfg: ProviderConfig, opts: OpenAIClientOptions = {}) {
    this.label = `remote:${cfg.model}`;
    this.#model = createActor({ ...cfg, stream: false }, opts);
  }

  async judge(input: CriticInput, signal: AbortSignal): Promise<Verdict> {
    const prompt = buildCriticPrompt(input);
    const reply = await this.#model.propose({ system: prompt.system, messages: [{ role: 'user', content: prompt.user }], tools: [] }, signal);
    const text = reply.action.kind === 'message' ? reply.action.content : (reply.action.content ?? '');
    return verdictFromText(text, this.label, reply.latencyMs, reply.usage);
  }
}
