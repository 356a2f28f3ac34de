import type { LoopEvent } from '../loop/events.ts';
import { TRACE_SCHEMA_VERSION, type EpisodeTrace } from './schema.ts';

/** Where the recorder persists; the IndexedDB store implements it, tests may pass a Map-backed one. */
export interface TraceSink {
  put(trace: EpisodeTrace): Promise<void>;
}

/**
 * Folds loop events into an episode trace and persists it after every user
 * turn and every completed step, so a reload loses at most the step in flight.
 * Writes are chained: a slow write never reorders with the next one.
 */
export class TraceRecorder {
  #trace: EpisodeTrace | undefined;
  #pending: Promise<void> = Promise.resolve();
  #lastError: unknown;

  constructor(
    private readonly sink: TraceSink,
    private readonly now: () => number = Date.now,
    /** An interrupted trace that a resumed episode (runEpisode's `resume`) continues. */
    resumeFrom?: EpisodeTrace,
  ) {
    if (resumeFrom) {
      this.#trace = structuredClone(resumeFrom);
      this.#trace.status = 'running';
    }
  }

  get trace(): EpisodeTrace | undefined {
    return this.#trace;
  }

  /** Applies one event; resolves when the resulting write (if any) is durable. */
  async record(event: LoopEvent): Promise<void> {
    // Streamed text is for the screen only; the proposal it becomes is stored with its step.
    if (event.type === 'actor_delta') return;
    const t = this.#apply(event);
    if (!t) return;
    // Entries are the recorder's own copies and never change once in the timeline (an edit replaces its entry), so a
    // snapshot copies only the top level and the timeline's array: O(steps), not a deep copy of the whole trace.
    const snapshot: EpisodeTrace = { ...t, timeline: [...t.timeline] };
    this.#pending = this.#pending.then(
      () => this.sink.put(snapshot),
      () => this.sink.put(snapshot),
    );
    try {
      await this.#pending;
    } catch (err) {
      this.#lastError = err;
      throw err;
    }
  }

  get lastError(): unknown {
    return this.#lastError;
  }

  #apply(event: LoopEvent): EpisodeTrace | undefined {
    if (event.type === 'episode_start') {
      this.#trace = {
        schemaVersion: TRACE_SCHEMA_VERSION,
        id: event.episodeId,
        createdAt: event.at,
        updatedAt: event.at,
        meta: structuredClone(event.meta),
        policy: event.policy,
        timeline: [],
        status: 'running',
      };
      return this.#trace;
    }
    const t = this.#trace;
    if (!t) return undefined;
    switch (event.type) {
      case 'user':
        t.timeline.push({ type: 'user', content: event.content, at: event.at });
        break;
      case 'user_tool':
        t.timeline.push(structuredClone(event));
        break;
      case 'user_edit': {
        // After a failed turn the person edited their last message: it replaces that entry, so the trace has no stale copy.
        const i = t.timeline.length - 1;
        if (t.timeline[i]?.type !== 'user') return undefined;
        t.timeline[i] = { type: 'user', content: event.content, at: event.at };
        break;
      }
      case 'step':
        // A deep copy of the step alone, once: later changes to the loop's objects never reach the stored trace.
        t.timeline.push({ type: 'step', step: structuredClone(event.step) });
        break;
      case 'episode_end':
        t.status = event.outcome;
        t.endedAt = event.at;
        if (event.reward !== undefined) t.reward = event.reward;
        if (event.rewardDetails) t.rewardDetails = structuredClone(event.rewardDetails);
        if (event.error) t.error = event.error;
        break;
      default:
        // Proposals and verdicts are persisted with their step when it completes.
        return undefined;
    }
    t.updatedAt = this.now();
    return t;
  }
}
