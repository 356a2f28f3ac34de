/**
 * From a run's model specs (persisted, keyless) to live clients: the key and
 * the client settings come from the caller's current settings, so a resumed
 * run uses the key typed in after the reload.
 */
import type { OpenAIClientOptions } from '../actor/openai.ts';
import type { ProviderConfig } from '../actor/provider.ts';
import type { Actor, ActorReply, ActorRequest, TextSink } from '../actor/actor-interface.ts';
import type { Critic, CriticInput } from '../critic/critic-interface.ts';
import { buildActor, buildCritic, providerConfigFor } from '../setup/factory.ts';
import type { ModelSpec } from '../setup/specs.ts';
import type { Verdict } from '../contracts.ts';

export interface ModelClientOptions {
  /** The provider config (with key) for a spec in a role. */
  providerFor(spec: ModelSpec, role: 'agent' | 'user' | 'critic'): ProviderConfig;
  /** The in-browser critic for specs with engine 'local'. */
  localCritic?: Critic | undefined;
  /** The in-browser actor (web-llm) for agent/user specs with engine 'local'. */
  localActor?: Actor | undefined;
  clientOptions?: OpenAIClientOptions;
  /** The fetch each role's requests go through (the app records them for "What left this browser"). */
  fetchFor?: (role: 'agent' | 'user' | 'critic') => typeof fetch;
}

function clientOptionsFor(opts: ModelClientOptions, role: 'agent' | 'user' | 'critic'): OpenAIClientOptions | undefined {
  return opts.fetchFor ? { ...opts.clientOptions, fetch: opts.fetchFor(role) } : opts.clientOptions;
}

/** A 'local' spec reads no provider settings. */
const NO_PROVIDER: ProviderConfig = { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1', model: 'none', apiKey: '', temperature: 0, maxTokens: 1, stream: false };

/**
 * The model clients of a run from the caller's provider settings (with keys):
 * agent and user take the actor's, the critic the critic's; the spec decides
 * API style, endpoint and model.
 */
export function runModelClients(bases: { actor: ProviderConfig; critic: ProviderConfig; user?: ProviderConfig }, rest: Omit<ModelClientOptions, 'providerFor'> = {}): ModelClientOptions {
  return {
    providerFor: (spec, role) => providerConfigFor(spec, role === 'critic' ? bases.critic : role === 'user' ? (bases.user ?? bases.actor) : bases.actor),
    ...rest,
  };
}

/**
 * One call at a time: an in-browser engine runs one generation on the device
 * anyway, and concurrent episodes must not interleave requests on it.
 */
class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(call: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(call, call);
    this.#tail = next.catch(() => undefined);
    return next;
  }
}

/** The queue belongs to the engine, not to a wrapper: every episode's wrapper of one engine shares it. */
const queues = new WeakMap<object, SerialQueue>();
function queueOf(engine: object): SerialQueue {
  let q = queues.get(engine);
  if (!q) queues.set(engine, (q = new SerialQueue()));
  return q;
}

export class SerialCritic implements Critic {
  readonly #queue: SerialQueue;
  constructor(private readonly inner: Critic) {
    this.#queue = queueOf(inner);
  }
  get label(): string {
    return this.inner.label;
  }
  get contextWindow(): number | undefined {
    return this.inner.contextWindow;
  }
  judge(input: CriticInput, signal: AbortSignal): Promise<Verdict> {
    return this.#queue.run(() => this.inner.judge(input, signal));
  }
  /** The engine's preparation, in the same queue (it is work on the same device); the episode's signal aborts it. */
  async prepare(input: Omit<CriticInput, 'proposal'>, signal: AbortSignal): Promise<void> {
    const prepare = this.inner.prepare?.bind(this.inner);
    if (!prepare) return;
    // Skipped once aborted while queued: the episode has ended or the verdict no longer waits for it.
    await this.#queue.run(() => (signal.aborted ? Promise.resolve() : prepare(input, signal)));
  }
}

class SerialActor implements Actor {
  readonly #queue: SerialQueue;
  constructor(private readonly inner: Actor) {
    this.#queue = queueOf(inner);
  }
  get label(): string {
    return this.inner.label;
  }
  propose(request: ActorRequest, signal: AbortSignal, onText?: TextSink): Promise<ActorReply> {
    return this.#queue.run(() => this.inner.propose(request, signal, onText));
  }
}

/** A run's actors and critics, built by the one factory (setup/factory.ts) from the run's specs: the runner's `buildActor` and `buildCritic`. */
interface RunModels {
  /**
   * The agent runs at the run's temperature (tau-bench: 0). The simulated user
   * is sent no temperature in the original, so it gets the providers' default, 1.
   */
  buildActor(spec: ModelSpec, role: 'agent' | 'user', temperature: number | undefined): Actor;
  buildCritic(spec: ModelSpec): Critic;
}

/** An on-device model serves one call at a time (SerialActor, SerialCritic); a remote one gets the role's key and fetch. */
export function runModels(opts: ModelClientOptions): RunModels {
  return {
    buildActor(spec, role, temperature) {
      const notLoaded = `${role} ${spec.model}: no in-browser actor is loaded; load it in the Setup panel, then resume`;
      if (spec.engine === 'local') return new SerialActor(buildActor(spec, { base: NO_PROVIDER, loaded: opts.localActor, notLoaded }));
      const client = clientOptionsFor(opts, role);
      return buildActor(spec, { base: opts.providerFor(spec, role), ...(client ? { client } : {}) }, { stream: false, temperature: temperature ?? 1 });
    },
    buildCritic(spec) {
      const notLoaded = `critic ${spec.model}: no in-browser critic is loaded; load it in the Critic tab, then resume`;
      if (spec.engine === 'local') return new SerialCritic(buildCritic(spec, { base: NO_PROVIDER, loaded: opts.localCritic, notLoaded }));
      const client = clientOptionsFor(opts, 'critic');
      return buildCritic(spec, { base: opts.providerFor(spec, 'critic'), ...(client ? { client } : {}) });
    },
  };
}
