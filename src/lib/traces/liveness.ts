/**
 * Which stored "running" episodes some tab is really running. A tab holds a
 * Web Lock named after each episode it runs, for as long as it runs it; the
 * browser releases the lock when the episode ends or the tab closes (or
 * crashes). An episode stored as running whose lock nobody holds was cut off:
 * it is "interrupted" and may be resumed.
 */

const PREFIX = 'spotter-episode:';

/** The part of the Web Locks API this needs (navigator.locks in browsers and workers). */
export interface EpisodeLocks {
  request(name: string, callback: () => Promise<void>): Promise<unknown>;
  query(): Promise<{ held?: ReadonlyArray<{ name?: string }> }>;
}

function browserLocks(): EpisodeLocks | undefined {
  const nav: { locks?: EpisodeLocks } | undefined = globalThis.navigator;
  return nav?.locks;
}

/** Marks episode `id` as run by this tab until the returned function is called. */
export function holdEpisode(id: string, locks: EpisodeLocks | undefined = browserLocks()): () => void {
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  locks?.request(PREFIX + id, () => held).catch(() => undefined);
  return release;
}

/** The ids of the episodes some tab of this origin runs now (none known without Web Locks). */
export async function liveEpisodeIds(locks: EpisodeLocks | undefined = browserLocks()): Promise<ReadonlySet<string>> {
  if (!locks) return new Set();
  const { held = [] } = await locks.query();
  return new Set(held.flatMap((l) => (l.name?.startsWith(PREFIX) ? [l.name.slice(PREFIX.length)] : [])));
}
