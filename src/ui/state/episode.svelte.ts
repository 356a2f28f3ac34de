import type { Actor } from '../../lib/actor/actor-interface.ts';
import type { Critic } from '../../lib/critic/critic-interface.ts';
import { HumanUser } from '../../lib/envs/human-user.ts';
import type { Env, UserSide } from '../../lib/envs/env-interface.ts';
import type { AttemptInfo } from '../../lib/actor/retry.ts';
import { AbortedError, errorMessage } from '../../lib/errors.ts';
import type { LoopEvent, Outcome, TimelineEntry } from '../../lib/loop/events.ts';
import { runEpisode, type EpisodeConfig, type TurnRecovery } from '../../lib/loop/run-episode.ts';
import { holdEpisode } from '../../lib/traces/liveness.ts';
import { TraceRecorder, type TraceSink } from '../../lib/traces/recorder.ts';
import type { EpisodeTrace } from '../../lib/traces/schema.ts';
import type { Proposal } from '../../lib/contracts.ts';

/** A step whose actor call (or the simulated user's turn) failed: the episode waits for Retry, Edit and resend, or End. */
interface TurnFailure {
  /** Whose call failed: the actor's, or the simulated user's model. */
  side: 'actor' | 'user';
  error: string;
  /** The SpotterError code and HTTP status, for the error's plain-words reason (errorReason). */
  code?: string;
  status?: number;
  /** The failed step follows the person's own message, which may be edited and resent. */
  canEdit: boolean;
  /** That message, to put back in the composer for editing. */
  lastMessage?: string;
}

/** The provider retry under way, for the live line ("retrying (2 of 4, 8 s)"). */
interface RetryNote {
  attempt: number;
  of: number;
  delayMs: number;
  /** When the next attempt starts (Date.now() clock). */
  nextAt: number;
  error: string;
}

/** The last user turn or step: the user's own tool calls (τ³ telecom's phone) happen within their turn and do not end it. */
function lastExchange(timeline: readonly TimelineEntry[]): TimelineEntry | undefined {
  return timeline.findLast((e) => e.type !== 'user_tool');
}

/** The live line of a retry: "retrying (2 of 4, 8 s)", counting down to the next attempt, then "now". */
export function retryLine(r: RetryNote, now: number): string {
  const left = Math.ceil((r.nextAt - now) / 1000);
  return `retrying (${r.attempt} of ${r.of}, ${left > 0 ? `${left} s` : 'now'})`;
}

/** What a screen reader hears of a retry: once per attempt, not every second of the countdown. */
export function retryAnnouncement(r: RetryNote): string {
  const s = Math.max(1, Math.round(r.delayMs / 1000));
  return `The provider call failed; retrying, attempt ${r.attempt} of ${r.of}, in ${s} second${s === 1 ? '' : 's'}.`;
}

/** The clock the retry countdown reads, and how it ticks (tests give a fake one). */
export interface SessionClock {
  now(): number;
  /** Calls `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
}

const realClock: SessionClock = {
  now: () => Date.now(),
  every: (ms, fn) => {
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  },
};

/** How often the countdown redraws: often enough that a second never shows late by more than a quarter. */
const TICK_MS = 250;

export interface StartOptions {
  env: Env;
  actor: Actor;
  critic: Critic | undefined;
  user?: UserSide;
  /** With a person as the user: the environment's seat around them (τ³ records their turns and tools). */
  seat?: (person: UserSide) => UserSide;
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
  /** What the environment said about the reward (τ³: the per-component breakdown). */
  rewardDetails = $state.raw<Record<string, unknown> | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  storageError = $state<string | undefined>(undefined);
  waitingForUser = $state(false);
  /** Text of the actor's reply as it streams in (streaming providers only). */
  streaming = $state('');
  /** The step that failed, while the episode waits for the person's choice. */
  failure = $state<TurnFailure | undefined>(undefined);
  /** The provider call being retried now, if one is. */
  retry = $state<RetryNote | undefined>(undefined);
  /** The clock's time, ticking only while a retry counts down (the live line reads it). */
  now = $state(0);

  #abort: AbortController | undefined;
  #human: HumanUser | undefined;
  /** A simulated user (its own model call) holds the user's seat. */
  #simulatedUser = $state(false);
  #recover: ((choice: TurnRecovery) => void) | undefined;
  #stopTicking: (() => void) | undefined;

  constructor(
    private readonly sink: TraceSink,
    private readonly clock: SessionClock = realClock,
  ) {}

  get running(): boolean {
    return this.status === 'running';
  }

  /** The live line under the transcript while the episode works: who is doing what (actor, critic, simulated user), and provider retries. */
  get activity(): string | undefined {
    if (!this.running || this.failure || this.waitingForUser) return undefined;
    const r = this.retry;
    if (r) return retryLine(r, this.now);
    const last = this.inFlight.at(-1);
    if (last && !last.verdict) return 'critic judging…';
    if (this.streaming) return 'actor writing…';
    // A simulated user speaks first and after each of the agent's messages (its own tool calls go on within its turn); its model is what is being waited for.
    const entry = lastExchange(this.timeline);
    if (this.#simulatedUser && !last && (!entry || (entry.type === 'step' && entry.step.executed.kind === 'message'))) return 'simulated user replying…';
    return 'actor thinking…';
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
    this.rewardDetails = undefined;
    this.error = undefined;
    this.storageError = undefined;
    this.failure = undefined;
    this.retry = undefined;
    const human = opts.user ? undefined : new HumanUser();
    this.#human = human;
    this.#simulatedUser = opts.user?.kind === 'simulated';
    if (human && firstMessage !== undefined) human.say(firstMessage);
    const last = lastExchange(this.timeline);
    this.waitingForUser = human !== undefined && firstMessage === undefined && (!last || (last.type === 'step' && last.step.executed.kind === 'message'));
    const abort = new AbortController();
    this.#abort = abort;
    const recorder = new TraceRecorder(this.sink, Date.now, resumeFrom);
    const user = opts.user ?? (human && opts.seat ? opts.seat(human) : human);
    if (!user) throw new Error('no user side');
    // Other tabs (and this one after a reload) tell a live episode from an interrupted one by this lock.
    const release = holdEpisode(id);
    void this.#consume(
      runEpisode(
        {
          episodeId: id,
          env: opts.env,
          actor: opts.actor,
          critic: opts.critic,
          user,
          ...opts.loop,
          ...(resumeFrom ? { resume: resumeFrom.timeline } : {}),
          recover: (signal) => this.#waitForChoice(signal),
        },
        abort.signal,
      ),
      recorder,
      abort,
    ).finally(release);
  }

  /** Resolves with the person's choice after a failed turn (Retry, Edit and resend, End); Stop rejects it. */
  #waitForChoice(signal: AbortSignal): Promise<TurnRecovery> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new AbortedError());
      const onAbort = () => {
        this.#recover = undefined;
        reject(new AbortedError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#recover = (choice) => {
        signal.removeEventListener('abort', onAbort);
        this.#recover = undefined;
        this.failure = undefined;
        resolve(choice);
      };
    });
  }

  /** After a failed turn: the same step again. */
  retryTurn(): void {
    this.#recover?.({ kind: 'retry' });
  }

  /** After a failed turn: the person's last message, edited, replaces it and the step runs again. */
  editAndResend(text: string): void {
    if (this.failure?.canEdit) this.#recover?.({ kind: 'edit', text });
  }

  /** What a screen reader is told of the live line: the retry once per attempt (the countdown itself is not read out). */
  get announcement(): string | undefined {
    const r = this.retry;
    return r && this.activity !== undefined ? retryAnnouncement(r) : this.activity;
  }

  /** Reported by the provider client's retry layer (its onRetry): the live line counts down to the next attempt. */
  noteRetry(info: AttemptInfo, retries: number): void {
    if (!this.running) return;
    this.now = this.clock.now();
    this.retry = { attempt: info.attempt + 1, of: retries, delayMs: info.delayMs, nextAt: this.now + info.delayMs, error: info.error.message };
    this.#stopTicking ??= this.clock.every(TICK_MS, () => {
      this.now = this.clock.now();
      // Ticks only while there is something to count down.
      if (!this.retry || !this.running) this.#quietClock();
    });
  }

  #quietClock(): void {
    this.#stopTicking?.();
    this.#stopTicking = undefined;
  }

  /** The person's next turn. */
  say(text: string): void {
    if (!this.#human || !this.running) return;
    this.waitingForUser = false;
    this.#human.say(text);
  }

  endConversation(): void {
    this.waitingForUser = false;
    // After a failed turn, ending is the person's choice: the episode ends with that error.
    if (this.#recover) this.#recover({ kind: 'end' });
    else this.#human?.end();
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
      case 'user_tool':
        this.timeline.push(e);
        break;
      case 'actor_delta':
        this.retry = undefined;
        this.streaming += e.text;
        break;
      case 'turn_failed': {
        const last = this.timeline.at(-1);
        const lastMessage = last?.type === 'user' && this.#human && e.side !== 'user' ? last.content : undefined;
        this.retry = undefined;
        this.streaming = '';
        this.inFlight = [];
        this.failure = {
          side: e.side ?? 'actor',
          error: e.error,
          ...(e.code !== undefined ? { code: e.code } : {}),
          ...(e.status !== undefined ? { status: e.status } : {}),
          canEdit: lastMessage !== undefined,
          ...(lastMessage !== undefined ? { lastMessage } : {}),
        };
        break;
      }
      case 'user_edit': {
        const i = this.timeline.length - 1;
        if (this.timeline[i]?.type === 'user') this.timeline[i] = { type: 'user', content: e.content, at: e.at };
        break;
      }
      case 'proposal':
        this.retry = undefined;
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
        this.failure = undefined;
        this.retry = undefined;
        this.#quietClock();
        this.status = e.outcome;
        this.reward = e.reward;
        this.rewardDetails = e.rewardDetails;
        this.error = e.error;
        this.waitingForUser = false;
        this.inFlight = [];
        break;
      case 'episode_start':
        break;
    }
  }
}
