import type { Actor } from '../../lib/actor/actor-interface.ts';
import type { Critic } from '../../lib/critic/critic-interface.ts';
import type { TauPack } from '../../lib/envs/tau-bench/pack.ts';
import { PackCache } from '../../lib/envs/tau-bench/pack-cache.ts';
import { RequestLog, type Purpose } from '../../lib/net/request-log.ts';
import { listenToWorkers } from '../../lib/net/worker-requests.ts';
import { DEFAULT_RETRY, type AttemptInfo } from '../../lib/actor/retry.ts';
import { buildActor, buildCritic } from '../../lib/setup/factory.ts';
import { setupProblems, type SetupProblem } from '../../lib/setup/setup-problems.ts';
import type { ActorSpec, ModelSpec } from '../../lib/setup/specs.ts';
import type { EpisodeTrace } from '../../lib/traces/schema.ts';
import { TraceStore } from '../../lib/traces/trace-store.ts';
import type { CriticMode } from '../../lib/contracts.ts';
import { CriticPanelState } from './critic.svelte.ts';
import { EpisodeSession, type StartOptions } from './episode.svelte.ts';
import { examDeps, watchSources } from './exam-app.ts';
import { WatchState } from './exam-watch.svelte.ts';
import { ExamState } from './exam.svelte.ts';
import { EnvironmentChoice, type BuiltEnv } from './environment.svelte.ts';
import { LocalActorState } from './local-actor.svelte.ts';
import { Settings } from './settings.svelte.ts';
import { TraceReview } from './traces.svelte.ts';
import { UserBenchPacks } from './userbench-packs.svelte.ts';
import { Tau2Packs } from './tau2.svelte.ts';

/**
 * The app's long-lived state, created once in main.ts and handed down as props.
 * The rule for on-device engines: their state classes (criticLoader,
 * localActorLoader) live here and own the engine's lifetime; components only
 * show them, and mounting or unmounting a component never loads or unloads a model.
 */
export class AppState {
  readonly settings = new Settings();
  /** Every request the app makes, for "What left this browser" (workers report theirs over a channel). */
  readonly requests = new RequestLog();
  readonly stopListeningToWorkers = listenToWorkers(this.requests);
  readonly traces = new TraceStore();
  readonly session = new EpisodeSession(this.traces);
  /** UserBench packs, loaded in their worker (Chat and Benchmark tabs). */
  readonly userBenchPacks = new UserBenchPacks();
  /** The one cache of loaded tau-bench packs (Chat and Data tabs). */
  readonly tauPacks = new PackCache<TauPack>();
  /** τ³ packs, loaded in their worker (Chat and Benchmark tabs, the Benchmark tab's export). */
  readonly tau2Packs = new Tau2Packs();
  /** Which world the chat tab runs in. */
  readonly environment = new EnvironmentChoice(this.userBenchPacks, this.requests.fetchFor('pack'), this.tauPacks, this.tau2Packs);
  /** The History tab: stored episodes, filters, import/export, presentation. */
  readonly review = new TraceReview(this.traces, () => this.settings.secrets, this.requests.fetchFor('episodes'));
  /** An in-browser critic loaded from the Critic tab (web-llm or transformers.js). */
  localCritic = $state.raw<Critic | undefined>(undefined);
  /**
   * Loads the in-browser critic (Critic tab, first screen). The one it loads
   * becomes the active critic; unloading it falls back to the remote one.
   */
  readonly criticLoader = new CriticPanelState((c) => {
    this.localCritic = c;
    this.settings.criticOnDevice = c !== undefined;
  });
  /** An in-browser actor (web-llm) loaded from the Setup panel. */
  localActor = $state.raw<Actor | undefined>(undefined);
  /** Loads and unloads it; lives here so switching tabs keeps the model on the GPU. */
  readonly localActorLoader = new LocalActorState((a) => (this.localActor = a));

  /** The Exam tab: grading runs of critics on exam sets, stored in IndexedDB. */
  readonly exam = new ExamState(examDeps(this));
  /** Watch a real GPT-4o episode being judged by the loaded critic. */
  readonly examWatch = new WatchState(watchSources(this));

  /** An interrupted episode History's Resume handed to the Chat tab, which resumes it (with its setup checks) and clears this. */
  resumeRequest = $state.raw<EpisodeTrace | undefined>(undefined);

  /** The actor the settings select, as a spec for the factory. */
  get actorSpec(): ActorSpec {
    const st = this.settings;
    if (st.actorEngine === 'local') return { engine: 'local', model: this.localActor?.label ?? st.localActorModel };
    return { engine: st.actor.kind, model: st.actor.model, baseUrl: st.actor.baseUrl };
  }

  /** The critic the settings select, as a spec (whatever the mode: in `off` mode the chat builds none). */
  get criticSpec(): ModelSpec {
    const st = this.settings;
    if (st.criticEngine === 'local') return { engine: 'local', model: this.localCritic?.label ?? 'in-browser critic' };
    return { engine: st.critic.kind, model: st.critic.model, baseUrl: st.critic.baseUrl };
  }

  /** Provider retries of the chat's calls show in its live line ("retrying (2 of 4, 8 s)"). */
  readonly #onRetry = (info: AttemptInfo): void => this.session.noteRetry(info, DEFAULT_RETRY.retries);

  /** What stops the chat's next episode before it is sent (missing key, bad URL, unloaded model), by setup field. */
  get setupProblems(): SetupProblem[] {
    const st = this.settings;
    const remote = (c: { baseUrl: string; model: string; apiKey: string }) => ({ baseUrl: c.baseUrl, model: c.model, apiKey: c.apiKey });
    return setupProblems({
      actor: st.actorEngine === 'local' ? { engine: 'local', loaded: this.localActor !== undefined } : { engine: st.actorEngine, remote: remote(st.actorConfig) },
      ...(st.mode === 'off'
        ? {}
        : { critic: st.criticEngine === 'local' ? { engine: 'local', loaded: this.localCritic !== undefined } : { engine: st.criticEngine, remote: remote(st.criticConfig) } }),
    });
  }

  /** The actor the settings select (its streamed text reaches the screen as the loop's `actor_delta` events). */
  buildActor(purpose: Extract<Purpose, 'actor' | 'simulated user'> = 'actor'): Actor {
    return buildActor(this.actorSpec, {
      base: this.settings.actorConfig,
      client: { fetch: this.requests.fetchFor(purpose), onRetry: this.#onRetry },
      loaded: this.localActor,
      notLoaded: 'The in-browser actor is not loaded: load the model first (Setup → Actor → Load), or pick the remote provider.',
    });
  }

  /** The critic the settings select; throws when the in-browser one is picked but not loaded. */
  buildCritic(): Critic {
    return buildCritic(this.criticSpec, {
      base: this.settings.criticConfig,
      client: { fetch: this.requests.fetchFor('critic'), onRetry: this.#onRetry },
      loaded: this.localCritic,
      notLoaded: NO_CRITIC,
    });
  }

  /** Everything an episode of the chat tab starts with, in `mode` (a resumed episode keeps its own). */
  episodeOptions(built: BuiltEnv, mode: CriticMode): StartOptions {
    const st = this.settings;
    const critic = mode === 'off' ? undefined : this.buildCritic();
    // The trace records the actor's model and engine, which price it.
    const actor = this.actorSpec;
    return {
      env: built.env,
      actor: this.buildActor(),
      critic,
      ...(built.user ? { user: built.user } : {}),
      ...(built.seat ? { seat: built.seat } : {}),
      loop: {
        mode,
        maxRevisions: st.maxRevisions,
        failureRule: st.failureRule,
        maxSteps: built.maxSteps,
        criticTimeoutMs: st.criticTimeoutS * 1000,
        meta: { ...built.meta, actor: actor.model, actorEngine: actor.engine, ...(critic ? { critic: critic.label } : {}) },
      },
    };
  }
}

const NO_CRITIC = 'No critic: load an in-browser critic in the Critic tab, or pick the remote engine.';
