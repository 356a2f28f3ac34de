import type { OpenAIClientOptions } from './openai.ts';
import type { ProviderConfig } from './provider.ts';
import type { Actor } from './actor-interface.ts';

function loadActor(cfg: ProviderConfig, opts: OpenAIClientOptions): Promise<Actor> {
  return cfg.kind === 'anthropic'
    ? import('./anthropic.ts').then((m) => new m.AnthropicActor(cfg, opts))
    : import('./openai.ts').then((m) => new m.OpenAICompatibleActor(cfg, opts));
}

/**
 * The client of a provider's chat API, as an Actor (the factory, setup/factory.ts, is what builds actors from specs). Its SDK (openai or @anthropic-ai/sdk, tens of KB
 * each) loads on the first call, not with the page.
 */
export function providerActor(cfg: ProviderConfig, opts: OpenAIClientOptions = {}): Actor {
  let loaded: Promise<Actor> | undefined;
  const load = (): Promise<Actor> =>
    (loaded ??= loadActor(cfg, opts).catch((err: unknown) => {
      // A chunk that failed to load (offline, a new deployment) is tried again on the next call.
      loaded = undefined;
      throw err;
    }));
  return {
    label: cfg.model,
    propose: async (request, signal, onText) => (await load()).propose(request, signal, onText),
  };
}
