import type { EnvironmentFamily } from '../envs/environment.ts';
import type { EpisodeTrace } from './schema.ts';
import type { TraceStore } from './trace-store.ts';

/**
 * Environments whose episodes can be resumed with a person in the user's
 * seat: the loop replays the stored timeline (τ³: the person's turns and
 * phone calls too, through the seat's `replay`).
 */
const RESUMABLE: readonly EnvironmentFamily[] = ['policy-chat', 'tau-bench', 'tau2'];

/** Where the ids of interrupted episodes the person dismissed are kept (localStorage in the app). */
type DismissedStore = Pick<Storage, 'getItem' | 'setItem'>;
const DISMISSED_KEY = 'spotter.dismissed-interrupted';
/** Enough to cover every interrupted episode a person meets; older ids drop off. */
const DISMISSED_MAX = 200;

export function dismissedInterrupted(storage: DismissedStore | undefined): string[] {
  try {
    const v: unknown = JSON.parse(storage?.getItem(DISMISSED_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The banner does not offer `id` again (History still shows it as interrupted, with Resume). */
export function dismissInterrupted(storage: DismissedStore | undefined, id: string): void {
  const ids = [...dismissedInterrupted(storage).filter((x) => x !== id), id].slice(-DISMISSED_MAX);
  storage?.setItem(DISMISSED_KEY, JSON.stringify(ids));
}

/**
 * Whether `trace` can be resumed: stored as running, run by no tab (`live`,
 * from liveness.ts), with a person in the user's seat, in an environment
 * that replays. The chat banner and History's Resume ask the same question.
 */
export function canResume(trace: Pick<EpisodeTrace, 'id' | 'status' | 'meta'>, live: ReadonlySet<string>): boolean {
  return trace.status === 'running' && !live.has(trace.id) && trace.meta.userKind === 'human' && RESUMABLE.includes(trace.meta.environment.family);
}

/**
 * The newest episode cut short (a reload, a closed tab) while a person held
 * the user's seat: stored as running, yet run by no tab (`live`, from
 * liveness.ts), and not dismissed. Reads the summary index (cheap at 10,000
 * episodes) and opens full traces only for the few still marked running.
 */
export async function latestInterruptedHumanEpisode(
  store: Pick<TraceStore, 'summaries' | 'get'>,
  live: ReadonlySet<string> = new Set(),
  dismissed: readonly string[] = [],
): Promise<EpisodeTrace | undefined> {
  const candidates = (await store.summaries())
    .filter((s) => s.status === 'running' && !live.has(s.id) && !dismissed.includes(s.id))
    .sort((a, b) => b.createdAt - a.createdAt);
  for (const s of candidates) {
    const t = await store.get(s.id);
    if (t && canResume(t, live)) return t;
  }
  return undefined;
}
