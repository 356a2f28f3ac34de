/**
 * The critics the Data tab offers for labelling (teacher) and for re-judging
 * stored proposals (critic evaluation): the configured critic endpoint, the
 * actor's (large) model judging as a critic or teacher, and the in-browser
 * critic when one is loaded. Each is built by the factory when picked.
 */
import type { OpenAIClientOptions } from '../actor/openai.ts';
import type { ProviderConfig } from '../actor/provider.ts';
import type { Critic } from '../critic/critic-interface.ts';
import { buildCritic } from './factory.ts';
import { remoteSpec } from './run-specs.ts';

/** A critic the person can pick for labelling or re-judging; `make` is undefined when it is not available now. */
export interface CriticChoice {
  id: string;
  label: string;
  make: (() => Critic) | undefined;
}

/** A remote model can be called when it has a key, or runs on this machine (a local vLLM/Ollama needs none). */
function callable(cfg: ProviderConfig): boolean {
  return cfg.apiKey.length > 0 || /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(cfg.baseUrl);
}

/** `clientOptions` carries the fetch their requests go through. */
export function criticChoicesFrom(remote: { critic: ProviderConfig; actor: ProviderConfig }, local: Critic | undefined, clientOptions: OpenAIClientOptions = {}): CriticChoice[] {
  const { critic, actor } = remote;
  const viaApi = (cfg: ProviderConfig) => (callable(cfg) ? () => buildCritic(remoteSpec(cfg), { base: cfg, client: clientOptions }) : undefined);
  const loaded = local;
  return [
    { id: 'critic-api', label: `Critic API: ${critic.model}`, make: viaApi(critic) },
    { id: 'actor-api', label: `Actor model as critic: ${actor.model}`, make: viaApi(actor) },
    {
      id: 'local',
      label: `In-browser critic${loaded ? `: ${loaded.label}` : ''}`,
      make: loaded ? () => buildCritic({ engine: 'local', model: loaded.label }, { base: critic, loaded }) : undefined,
    },
  ];
}
