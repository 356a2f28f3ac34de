import { createActor } from '../../lib/actor/index.ts';
import type { Actor } from '../../lib/actor/types.ts';
import { RemoteCritic } from '../../lib/critic/remote.ts';
import type { Critic } from '../../lib/critic/types.ts';
import type { TauPack } from '../../lib/envs/tau-bench/pack.ts';
import { PackCache } from '../../lib/envs/tau-bench/packCache.ts';
import { RequestLog, type Purpose } from '../../lib/net/requestLog.ts';
import { listenToWorkers } from '../../lib/net/workerRequests.ts';
import { TraceStore } from '../../lib/traces/store.ts';
import { CriticPanelState } from './critic.svelte.ts';
import { EpisodeSession } from './episode.svelte.ts';
import { EnvironmentChoice } from './environment.svelte.ts';
import { LocalActorState } from './local-actor.svelte.ts';
import { Settings } from './settings.svelte.ts';
import { TraceReview } from './traces.svelte.ts';
import { UserBenchPacks } from './userbench-packs.svelte.ts';

/** The app's long-lived state, created once in main.ts and handed down as props. */
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
  /** Which world the chat tab runs in. */
  readonly environment = new EnvironmentChoice(this.userBenchPacks, this.requests.fetchFor('pack'), this.tauPacks);
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
    if (c) this.settings.criticEngine = 'local';
    else if (this.settings.criticEngine === 'local') this.settings.criticEngine = 'remote';
  });
  /** An in-browser actor (web-llm) loaded from the Setup panel. */
  localActor = $state.raw<Actor | undefined>(undefined);
  /** Loads and unloads it; lives here so switching tabs keeps the model on the GPU. */
  readonly localActorLoader = new LocalActorState((a) => (this.localActor = a));

  /** The actor the settings select (its streamed text reaches the screen as the loop's `actor_delta` events). */
  makeActor(purpose: Extract<Purpose, 'actor' | 'simulated user'> = 'actor'): Actor {
    if (this.settings.actorEngine === 'local') {
      if (!this.localActor) throw new Error('The in-browser actor is not loaded: load the model first (Setup → Actor → Load), or pick the remote provider.');
      return this.localActor;
    }
    return createActor(this.settings.actorConfig, { fetch: this.requests.fetchFor(purpose) });
  }

  /** The actor's model as recorded in a trace. */
  get actorModel(): string {
    return this.settings.actorEngine === 'local' ? (this.localActor?.label ?? this.settings.localActorModel) : this.settings.actor.model;
  }

  /** The critic the settings select, or undefined in `off` mode or when none is loaded. */
  makeCritic(): Critic | undefined {
    if (this.settings.mode === 'off') return undefined;
    if (this.settings.criticEngine === 'local') return this.localCritic;
    return new RemoteCritic(this.settings.criticConfig, { fetch: this.requests.fetchFor('critic') });
  }
}
