/**
 * From a run's model specs (persisted, keyless) to live clients: the key and
 * the client settings come from the caller's current settings, so a resumed
 * run uses the key typed in after the reload.
 */
import { createActor } from '../actor/index.ts';
import type { OpenAIClientOptions } from '../actor/openai.ts';
import { ProviderConfigSchema, type ProviderConfig } from '../actor/provider.ts';
import type { Actor, ActorReply, ActorRequest } from '../actor/types.ts';
import { ValidationError } from '../errors.ts';
import { RemoteCritic } from '../critic/remote.ts';
import type { Critic, CriticInput } from '../critic/types.ts';
import type { Verdict } from '../types.ts';
import type { ModelSpec } from './plan.ts';

const KindSchema = ProviderConfigSchema.shape.kind;

/** `base` supplies key and client settings; the spec decides API style, endpoint and model. */
export function providerConfigFor(spec: ModelSpec, base: ProviderConfig): ProviderConfig {
  const kind = KindSchema.safeParse(spec.engine);
  if (!kind.success) throw new ValidationError(`model ${spec.model}`, `engine "${spec.engine}" is not a remote API (openai-compatible or anthropic)`);
  return { ...base, kind: kind.data, model: spec.model, baseUrl: spec.baseUrl ?? base.baseUrl };
}

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

/**
 * The agent runs at the run's temperature (tau-bench: 0). The simulated user
 * is sent no temperature in the original, so it gets the providers' default, 1.
 */
export function makeActor(opts: ModelClientOptions, spec: ModelSpec, role: 'agent' | 'user', temperature: number | undefined): Actor {
  if (spec.engine === 'local') {
    if (!opts.localActor) throw new ValidationError(`${role} ${spec.model}`, 'no in-browser actor is loaded; load it in the Setup panel, then resume');
    return new SerialActor(opts.localActor);
  }
  const cfg = opts.providerFor(spec, role);
  return createActor({ ...cfg, stream: false, temperature: temperature ?? 1 }, clientOptionsFor(opts, role));
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

export class SerialActor implements Actor {
  readonly #queue: SerialQueue;
  constructor(private readonly inner: Actor) {
    this.#queue = queueOf(inner);
  }
  get label(): string {
    return this.inner.label;
  }
  propose(request: ActorRequest, signal: AbortSignal): Promise<ActorReply> {
    return this.#queue.run(() => this.inner.propose(request, signal));
  }
}

export function makeCritic(opts: ModelClientOptions, spec: ModelSpec): Critic {
  if (spec.engine === 'local') {
    if (!opts.localCritic) throw new ValidationError(`critic ${spec.model}`, 'no in-browser critic is loaded; load it in the Critic tab, then resume');
    return new SerialCritic(opts.localCritic);
  }
  return new RemoteCritic(opts.providerFor(spec, 'critic'), clientOptionsFor(opts, 'critic'), spec.contextWindow);
}
