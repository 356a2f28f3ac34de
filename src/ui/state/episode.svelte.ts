import type { Actor } from '../../lib/actor/types.ts';
import type { Critic } from '../../lib/critic/types.ts';
import { HumanUser } from '../../lib/envs/human-user.ts';
import type { Env, UserSide } from '../../lib/envs/types.ts';
import { errorMessage } from '../../lib/errors.ts';
import type { LoopEvent, Outcome, TimelineEntry } from '../../lib/loop/events.ts';
import { runEpisode, type EpisodeConfig } from '../../lib/loop/run-episode.ts';
import { TraceRecorder, type TraceSink } from '../../lib/traces/recorder.ts';
import type { EpisodeTrace } from '../../lib/traces/schema.ts';
import type { Proposal } from '../../lib/types.ts';

export interface StartOptions {
  env: Env;
  actor: Actor;
  critic: Critic | undefined;
  user?: UserSide;
  loop: Pick<EpisodeConfig, 'mode' | 'maxRevisions' | 'failureRule' | 'maxSteps' | 'criticTimeoutMs' | 'meta'>;
}

/**
 * The episode on screen: folds the loop's events into what the conversation
 * view renders, and hands the same events to the trace recorder, so what is
 * shown and what is stored never diverge.
 */
export class EpisodeSession {
  id = $state<string | undefined>(undefined);
  timeline = $state<TimelineEntry[]>([]);
  /** Proposals of the step being worked on, with verdicts as they arrive. */
  inFlight = $state<Proposal[]>([]);
  status = $state<'idle' | 'running' | Outcome>('idle');
  reward = $state<number | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  storageError = $state<string | undefined>(undefined);
  waitingForUser = $state(false);
  /** Text of the actor's reply as it streams in (streaming providers only). */
  streaming = $state('');

  #abort: AbortController | undefined;
  #human: HumanUser | undefined;

  constructor(private readonly sink: TraceSink) {}

  get running(): boolean {
    return this.status === 'running';
  }

  /** Starts an episode; with no simulated user given, the person at the keyboard is the user. */
  start(opts: StartOptions, firstMessage?: string): void {
    this.#run(opts, crypto.randomUUID(), firstMessage, undefined);
  }

  /** Continues an episode a reload interrupted, from its stored trace. */
  resume(opts: StartOptions, trace: EpisodeTrace): void {
    this.#run(opts, trace.id, undefined, trace);
  }

  #run(opts: StartOptions, id: string, firstMessage: string | undefined, resumeFrom: EpisodeTrace | undefined): void {
    this.stop();
    this.id = id;
    this.timeline = resumeFrom ? structuredClone(resumeFrom.timeline) : [];
    this.inFlight = [];
    this.streaming = '';
    this.status = 'running';
    this.reward = undefined;
    this.error = undefined;
    this.storageError = undefined;
    const human = opts.user ? undefined : new HumanUser();
    this.#human = human;
    if (human && firstMessage !== undefined) human.say(firstMessage);
    const last = this.timeline.at(-1);
    this.waitingForUser = human !== undefined && firstMessage === undefined && (!last || (last.type === 'step' && last.step.executed.kind === 'message'));
    const abort = new AbortController();
    this.#abort = abort;
    const recorder = new TraceRecorder(this.sink, Date.now, resumeFrom);
    const user = opts.user ?? human;
    if (!user) throw new Error('no user side');
    void this.#consume(
      runEpisode(
        { episodeId: id, env: opts.env, actor: opts.actor, critic: opts.critic, user, ...opts.loop, ...(resumeFrom ? { resume: resumeFrom.timeline } : {}) },
        abort.signal,
      ),
      recorder,
      abort,
    );
  }

  /** The person's next turn. */
  say(text: string): void {
    if (!this.#human || !this.running) return;
    this.waitingForUser = false;
    this.#human.say(text);
  }

  endConversation(): void {
    this.waitingForUser = false;
    this.#human?.end();
  }

  stop(): void {
    this.#abort?.abort();
  }

  async #consume(events: AsyncGenerator<LoopEvent>, recorder: TraceRecorder, abort: AbortController): Promise<void> {
    for await (const e of events) {
      const current = () => this.#abort === abort;
      // Persist first, then show: what is on screen has been saved, so a reload never loses it.
      // A replaced episode is still recorded to its end (its 'aborted' status included).
      try {
        await recorder.record(e);
      } catch (err) {
        // The episode goes on; the person is told that it is no longer being saved.
        if (current()) this.storageError = errorMessage(err);
      }
      if (current()) this.#apply(e);
    }
  }

  #apply(e: LoopEvent): void {
    switch (e.type) {
      case 'user':
        this.timeline.push(e);
        break;
      case 'actor_delta':
        this.streaming += e.text;
        break;
      case 'proposal':
        this.streaming = '';
        this.inFlight.push(e.proposal);
        break;
      case 'verdict': {
        const p = this.inFlight.find((x) => x.attempt === e.attempt);
        if (p) p.verdict = e.verdict;
        break;
      }
      case 'step':
        this.inFlight = [];
        this.streaming = '';
        this.timeline.push({ type: 'step', step: e.step });
        if (e.step.executed.kind === 'message' && this.#human) this.waitingForUser = true;
        break;
      case 'episode_end':
        this.status = e.outcome;
        this.reward = e.reward;
        this.error = e.error;
        this.waitingForUser = false;
        this.inFlight = [];
        break;
      case 'episode_start':
        break;
    }
  }
}
