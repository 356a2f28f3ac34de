/**
 * The one place that builds actors and critics, from a spec (specs.ts). Chat,
 * benchmark, data, critic evaluation and the headless CLI all come here; none
 * of them decides on its own which client class runs which spec.
 */
import { providerActor } from '../actor/index.ts';
import type { OpenAIClientOptions } from '../actor/openai.ts';
import type { ProviderConfig } from '../actor/provider.ts';
import type { Actor } from '../actor/actor-interface.ts';
import { RemoteCritic } from '../critic/remote.ts';
import type { Critic } from '../critic/critic-interface.ts';
import { SpotterError, ValidationError } from '../errors.ts';
import { isRemote, type ActorSpec, type CriticSpec, type ModelSpec } from './specs.ts';

/** `base` supplies key and client settings; the spec decides API style, endpoint and model. */
export function providerConfigFor(spec: Exclude<CriticSpec, { engine: 'none' }>, base: ProviderConfig): ProviderConfig {
  if (!isRemote(spec)) throw new ValidationError(`model ${spec.model}`, `engine "${spec.engine}" is not a remote API (openai-compatible or anthropic)`);
  return { ...base, kind: spec.engine, model: spec.model, baseUrl: spec.baseUrl ?? base.baseUrl };
}

/** What a spec needs besides itself: settings for a remote model, the loaded one for a 'local' spec. */
interface BuildContext<T> {
  /** Key and client settings of a remote model; the spec overrides API style, endpoint and model. */
  base: ProviderConfig;
  /** The SDK client options (the fetch requests go through, streamed text). */
  client?: OpenAIClientOptions;
  /** The on-device model loaded in this browser, for a 'local' spec. */
  loaded?: T | undefined;
  /** What to tell the person when a 'local' spec finds nothing loaded. */
  notLoaded?: string;
}

function loadedOrThrow<T>(ctx: BuildContext<T>, fallback: string): T {
  if (ctx.loaded === undefined) throw new SpotterError('not-loaded', ctx.notLoaded ?? fallback);
  return ctx.loaded;
}

/**
 * The actor for a spec. `tune` overrides the base settings' temperature and
 * streaming (a benchmark runs unstreamed at the run's temperature).
 */
export function buildActor(spec: ActorSpec, ctx: BuildContext<Actor>, tune: { temperature?: number; stream?: boolean } = {}): Actor {
  if (spec.engine === 'local') return loadedOrThrow(ctx, `no in-browser actor is loaded for ${spec.model}; load it in the Setup panel`);
  return providerActor({ ...providerConfigFor(spec, ctx.base), ...tune }, ctx.client);
}

/** The critic for a spec (a configuration without one builds none). On-device critics are loaded first (on-device.ts), then passed as `loaded`. */
export function buildCritic(spec: ModelSpec, ctx: BuildContext<Critic>): Critic {
  switch (spec.engine) {
    case 'local':
      return loadedOrThrow(ctx, `no in-browser critic is loaded for ${spec.model}; load it in the Critic tab`);
    case 'openai-compatible':
    case 'anthropic':
      return new RemoteCritic(providerConfigFor(spec, ctx.base), ctx.client, spec.contextWindow);
  }
}
