import { criticErrorVerdict } from '../../lib/critic/health.ts';
import type { Critic } from '../../lib/critic/types.ts';
import { errorMessage, isAbort } from '../../lib/errors.ts';
import type { ExamItem } from '../../lib/exam/schema.ts';
import { watchFrames, type WatchFrame } from '../../lib/exam/watch.ts';
import type { EpisodeTrace } from '../../lib/traces/schema.ts';
import type { ToolSchema, Verdict } from '../../lib/types.ts';
import type { LoadProgress } from './exam.svelte.ts';

export interface WatchSources {
  /** The 200 real GPT-4o airline episodes, as History episodes. */
  episodes: (onProgress: (p: LoadProgress) => void) => Promise<EpisodeTrace[]>;
  /** The airline tools the actor had. */
  tools: () => Promise<ToolSchema[]>;
  /** The tau-airline-gpt4o items, for the exam label beside each verdict. */
  items: (onProgress: (p: LoadProgress) => void) => Promise<ExamItem[]>;
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
  episodes = $state.raw<EpisodeTrace[]>([]);
  items = $state.raw<ExamItem[]>([]);
  tools = $state.raw<ToolSchema[]>([]);
  loading = $state.raw<LoadProgress | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  episodeId = $state<string | undefined>(undefined);
  at = $state(0);
  /** Verdicts by decision-point key: judged live, kept while the episode stays open. */
  verdicts = $state.raw<Readonly<Record<string, Verdict | 'judging'>>>({});
  #abort: AbortController | undefined;
  #loading: Promise<void> | undefined;

  constructor(private readonly src: WatchSources) {}

  readonly episode = $derived(this.episodes.find((e) => e.id === this.episodeId));
  readonly frames: WatchFrame[] = $derived(this.episode ? watchFrames(this.episode, this.tools, this.items) : []);
  readonly frame = $derived(this.frames[this.at]);

  /** Loads the episodes, tools and labels once. */
  load(): Promise<void> {
    this.#loading ??= (async () => {
      this.error = undefined;
      try {
        const progress = (p: LoadProgress) => (this.loading = p);
        this.tools = await this.src.tools();
        this.episodes = await this.src.episodes(progress);
        this.episodeId ??= this.episodes[0]?.id;
        // The labels are a bonus: without them the episode still plays and is judged.
        this.items = await this.src.items(progress).catch((err: unknown) => {
          this.error = `The exam labels could not be loaded: ${errorMessage(err)}`;
          return [];
        });
      } catch (err) {
        this.#loading = undefined;
        this.error = errorMessage(err);
      } finally {
        this.loading = undefined;
      }
    })();
    return this.#loading;
  }

  open(id: string): void {
    this.#abort?.abort();
    this.episodeId = id;
    this.at = 0;
    this.verdicts = {};
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
    const timeout = AbortSignal.timeout(this.src.timeoutMs());
    let verdict: Verdict;
    try {
      verdict = await critic.judge(f.point.input, AbortSignal.any([abort.signal, timeout]));
    } catch (err) {
      if (isAbort(err, abort.signal)) {
        if (this.verdicts[key] === 'judging') this.#unset(key);
        return;
      }
      verdict = criticErrorVerdict(err, timeout.aborted ? this.src.timeoutMs() : undefined, performance.now() - started, critic.label);
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
