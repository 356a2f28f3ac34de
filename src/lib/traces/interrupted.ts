import type { EnvironmentFamily } from '../envs/environment.ts';
import type { EpisodeTrace } from './schema.ts';
import type { TraceStore } from './trace-store.ts';

/** Environments whose episodes can be resumed with a person in the user's seat. */
const RESUMABLE: readonly EnvironmentFamily[] = ['policy-chat', 'tau-bench'];

/**
 * The newest episode a reload cut short while a person held the user's seat.
 * Reads the summary index (cheap at 10,000 episodes) and opens full traces
 * only for the few still marked running.
 */
export async function latestInterruptedHumanEpisode(store: Pick<TraceStore, 'summaries' | 'get'>): Promise<EpisodeTrace | undefined> {
  const candidates = (await store.summaries())
    .filter((s) => s.status === 'running')
    .sort((a, b) => b.createdAt - a.createdAt);
  for (const s of candidates) {
    const t = await store.get(s.id);
    if (t?.meta.userKind === 'human' && RESUMABLE.includes(t.meta.environment.family)) return t;
  }
  return undefined;
}
