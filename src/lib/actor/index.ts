import { AnthropicActor } from './anthropic.ts';
import { OpenAICompatibleActor, type OpenAIClientOptions } from './openai.ts';
import type { ProviderConfig } from './provider.ts';
import type { Actor } from './types.ts';

export function createActor(cfg: ProviderConfig, opts: OpenAIClientOptions = {}): Actor {
  return cfg.kind === 'anthropic' ? new AnthropicActor(cfg, opts) : new OpenAICompatibleActor(cfg, opts);
}
