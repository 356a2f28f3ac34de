import { criticErrorVerdict } from '../../lib/critic/health.ts';
import type { Critic } from '../../lib/critic/types.ts';
import { decisionPoints, type DecisionPoint } from '../../lib/data/points.ts';
import { errorMessage, isAbort } from '../../lib/errors.ts';
import type { ExamItem } from '../../lib/exam/schema.ts';
import { feedbackOf } from '../../lib/loop/runEpisode.ts';
import { revisionMessages } from '../../lib/loop/history.ts';
import type { EpisodeTrace } from '../../lib/traces/schema.ts';
import type { ToolSchema, Verdict } from '../../lib/types.ts';
import type { LoadProgress } from './exam.svelte.ts';

/** One beat of the watched episode: a user turn, or an actor proposal the critic judges. */
export type WatchFrame =
  | { kind: 'user'; content: string }
  | { kind: 'proposal'; point: DecisionPoint; observation: string | null; item: ExamItem | undefined }
  | { kind: 'end'; reward: number | undefined };

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

/** The call id of a tool-call proposal (how an exam item and a decision point meet). */
const callIdOf = (a: DecisionPoint['input']['proposal']): string | undefined => (a.kind === 'tool_call' ? a.call.id : undefined);

/** The frames of an episode: its user turns and each proposal, the exam item for it where there is one. */
export function watchFrames(trace: EpisodeTrace, tools: ToolSchema[], items: readonly ExamItem[]): WatchFrame[] {
  const byCall = new Map<string, ExamItem>();
  for (const it of items) {
    if (it.source.episodeId !== trace.id || it.source.mutation) continue;
    const id = callIdOf(it.input.proposal);
    if (id) byCall.set(id, it);
  }
  const points = decisionPoints(trace, () => tools);
  const out: WatchFrame[] = [];
  let p = 0;
  for (const e of trace.timeline) {
    if (e.type === 'user') out.push({ kind: 'user', content: e.content });
    else
      for (const _ of e.step.proposals) {
        const point = points[p++];
        if (!point) continue;
        const id = callIdOf(point.proposal.action);
        out.push({ kind: 'proposal', point, observation: point.executed ? e.step.observation : null, item: id ? byCall.get(id) : undefined });
      }
  }
  out.push({ kind: 'end', reward: trace.reward });
  return out;
}

/** What the actor would have been told had the critic's `revise` stood: the loop's own revision message. */
export function wouldBeFeedback(point: DecisionPoint, verdict: Verdict): string {
  const msgs = revisionMessages(point.proposal.action, feedbackOf(verdict));
  const last = msgs.at(-1);
  return last && 'content' in last ? last.content : '';
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
  verdicts = $state.raw<ReadonlyMap<string, Verdict | 'judging'>>(new Map());
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
    this.verdicts = new Map();
  }

  go(i: number): void {
    this.at = Math.max(0, Math.min(this.frames.length - 1, i));
    void this.judgeCurrent();
  }

  /** Judges the proposal in view, once. */
  async judgeCurrent(): Promise<void> {
    const f = this.frame;
    if (f?.kind !== 'proposal' || this.verdicts.has(f.point.key)) return;
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
        if (this.verdicts.get(key) === 'judging') this.#unset(key);
        return;
      }
      verdict = criticErrorVerdict(err, timeout.aborted ? this.src.timeoutMs() : undefined, performance.now() - started, critic.label);
    }
    if (this.#abort === abort) this.#abort = undefined;
    this.#set(key, verdict);
  }

  #set(key: string, v: Verdict | 'judging'): void {
    const next = new Map(this.verdicts);
    next.set(key, v);
    this.verdicts = next;
  }

  #unset(key: string): void {
    const next = new Map(this.verdicts);
    next.delete(key);
    this.verdicts = next;
  }

  stop(): void {
    this.#abort?.abort();
  }
}
