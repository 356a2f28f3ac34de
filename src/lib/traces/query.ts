import type { CriticMode } from '../contracts.ts';
import type { EpisodeSummary, ReviewOutcome } from './summary.ts';

export const SORT_KEYS = ['newest', 'oldest', 'reward', 'interventions', 'steps'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Every field narrows; absent fields do not filter. */
export interface TraceQuery {
  environment?: string;
  taskIndex?: number;
  mode?: CriticMode;
  /** '' matches episodes without a critic. */
  critic?: string;
  outcome?: ReviewOutcome;
  runId?: string;
  /** Episodes where the critic failed: any error verdict, or a context overflow in particular. */
  criticProblem?: CriticProblem;
  /** Inclusive bounds on createdAt (ms since epoch). */
  from?: number;
  to?: number;
  /** Whitespace-separated terms; every term must occur in the messages (or the id). */
  text?: string;
  sort?: SortKey;
}

export const CRITIC_PROBLEMS = ['critic-error', 'context-overflow'] as const;
type CriticProblem = (typeof CRITIC_PROBLEMS)[number];

function searchTerms(text: string | undefined): string[] {
  if (!text) return [];
  return text.toLowerCase().split(/\s+/).filter((t) => t.length > 0);
}

function matches(s: EpisodeSummary, q: TraceQuery, terms: readonly string[]): boolean {
  if (q.environment !== undefined && s.environment !== q.environment) return false;
  if (q.taskIndex !== undefined && s.taskIndex !== q.taskIndex) return false;
  if (q.mode !== undefined && s.mode !== q.mode) return false;
  if (q.critic !== undefined && (s.critic ?? '') !== q.critic) return false;
  if (q.outcome !== undefined && s.outcome !== q.outcome) return false;
  if (q.runId !== undefined && s.runId !== q.runId) return false;
  if (q.criticProblem === 'critic-error' && s.criticErrors === 0) return false;
  if (q.criticProblem === 'context-overflow' && s.contextOverflows === 0) return false;
  if (q.from !== undefined && s.createdAt < q.from) return false;
  if (q.to !== undefined && s.createdAt > q.to) return false;
  for (const term of terms) {
    if (!s.text.includes(term) && !s.id.toLowerCase().includes(term)) return false;
  }
  return true;
}

/** Ties break on id so the order is total and stable across runs. */
function comparator(sort: SortKey): (a: EpisodeSummary, b: EpisodeSummary) => number {
  const byId = (a: EpisodeSummary, b: EpisodeSummary) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  switch (sort) {
    case 'newest':
      return (a, b) => b.createdAt - a.createdAt || byId(a, b);
    case 'oldest':
      return (a, b) => a.createdAt - b.createdAt || byId(a, b);
    case 'reward':
      return (a, b) => (b.reward ?? -Infinity) - (a.reward ?? -Infinity) || b.createdAt - a.createdAt || byId(a, b);
    case 'interventions':
      return (a, b) => b.interventions - a.interventions || b.createdAt - a.createdAt || byId(a, b);
    case 'steps':
      return (a, b) => b.steps - a.steps || b.createdAt - a.createdAt || byId(a, b);
  }
}

/** Filters and sorts episode summaries; pure, so it runs the same in Node tests and the browser. */
export function queryEpisodes(summaries: readonly EpisodeSummary[], q: TraceQuery = {}): EpisodeSummary[] {
  const terms = searchTerms(q.text);
  const out = summaries.filter((s) => matches(s, q, terms));
  return out.sort(comparator(q.sort ?? 'newest'));
}

export interface Facets {
  environments: string[];
  critics: string[];
  tasks: number[];
  runIds: string[];
}

/** The values present, for the filter menus. */
export function facets(summaries: readonly EpisodeSummary[]): Facets {
  const env = new Set<string>();
  const critics = new Set<string>();
  const tasks = new Set<number>();
  const runs = new Set<string>();
  for (const s of summaries) {
    env.add(s.environment);
    if (s.critic !== undefined) critics.add(s.critic);
    if (s.taskIndex !== undefined) tasks.add(s.taskIndex);
    if (s.runId !== undefined) runs.add(s.runId);
  }
  const str = (set: Set<string>) => [...set].sort();
  return { environments: str(env), critics: str(critics), tasks: [...tasks].sort((a, b) => a - b), runIds: str(runs) };
}
