import { criticErrorVerdict } from '../../lib/critic/health.ts';
import type { Critic } from '../../lib/critic/critic-interface.ts';
import { errorMessage, isAbort } from '../../lib/errors.ts';
import { watchFrames, type WatchFrame } from '../../lib/exam/watch.ts';
import type { EpisodeListEntry, EpisodeResult, ExamWorkerProgress } from '../../lib/exam/worker-protocol.ts';
import type { Verdict } from '../../lib/contracts.ts';

export interface WatchSources {
  /** The 200 real GPT-4o airline episodes, to pick from. */
  episodes: (onProgress: (p: ExamWorkerProgress) => void) => Promise<EpisodeListEntry[]>;
  /** One of them, with its tools and the tau-airline-gpt4o items cut from it (their labels). */
  episode: (id: string, onProgress: (p: ExamWorkerProgress) => void) => Promise<EpisodeResult>;
  /** The loaded critic; throws when none is. */
  critic: () => Critic;
  timeoutMs: () => number;
}

/**
 * Watch a real episode: one of the 200 GPT-4o airline episodes, stepped
 * through frame by frame; the loaded critic judges each proposal as it comes
 * into view, its verdict shown beside the exam label and the episode's reward.
 */
export class WatchState {
  episodes = $state.raw<EpisodeListEntry[]>([]);
  current = $state.raw<EpisodeResult | undefined>(undefined);
  loading = $state.raw<ExamWorkerProgress | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  episodeId = $state<string | undefined>(undefined);
  at = $state(0);
  /** Verdicts by decision-point key: judged live, kept while the episode stays open. */
  verdicts = $state.raw<Readonly<Record<string, Verdict | 'judging'>>>({});
  #abort: AbortController | undefined;
  #listed: Promise<void> | undefined;

  constructor(private readonly src: WatchSources) {}

  readonly frames: WatchFrame[] = $derived(this.current ? watchFrames(this.current.trace, this.current.tools, this.current.items) : []);
  readonly frame = $derived(this.frames[this.at]);

  /** Lists the episodes once and opens the first. */
  load(): Promise<void> {
    this.#listed ??= (async () => {
      this.error = undefined;
      try {
        this.episodes = await this.src.episodes((p) => (this.loading = p));
        const first = this.episodes[0];
        if (first && !this.episodeId) await this.open(first.id);
      } catch (err) {
        this.#listed = undefined;
        this.error = errorMessage(err);
      } finally {
        this.loading = undefined;
      }
    })();
    return this.#listed;
  }

  async open(id: string): Promise<void> {
    this.#abort?.abort();
    this.episodeId = id;
    this.at = 0;
    this.verdicts = {};
    this.error = undefined;
    try {
      const result = await this.src.episode(id, (p) => (this.loading = p));
      if (this.episodeId !== id) return;
      this.current = result;
      void this.judgeCurrent();
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.loading = undefined;
    }
  }

  go(i: number): void {
    this.at = Math.max(0, Math.min(this.frames.length - 1, i));
    void this.judgeCurrent();
  }

  /** Judges the proposal in view, once. */
  async judgeCurrent(): Promise<void> {
    const f = this.frame;
    if (f?.kind !== 'proposal' || this.verdicts[f.point.key]) return;
    let critic: Critic;
    try {
      critic = this.src.critic();
    } catch (err) {
      this.error = errorMessage(err);
      return;
    }
    this.error = undefined;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    const key = f.point.key;
    this.#set(key, 'judging');
    const started = performance.now();
    const timeoutMs = this.src.timeoutMs();
    const timeout = AbortSignal.timeout(timeoutMs);
    let verdict: Verdict;
    try {
      verdict = await critic.judge(f.point.input, AbortSignal.any([abort.signal, timeout]));
    } catch (err) {
      if (isAbort(err, abort.signal)) {
        if (this.verdicts[key] === 'judging') this.#unset(key);
        return;
      }
      verdict = criticErrorVerdict(err, timeout.aborted ? timeoutMs : undefined, performance.now() - started, critic.label);
    }
    if (this.#abort === abort) this.#abort = undefined;
    this.#set(key, verdict);
  }

  #set(key: string, v: Verdict | 'judging'): void {
    this.verdicts = { ...this.verdicts, [key]: v };
  }

  #unset(key: string): void {
    this.verdicts = Object.fromEntries(Object.entries(this.verdicts).filter(([k]) => k !== key));
  }

  stop(): void {
    this.#abort?.abort();
  }
}
