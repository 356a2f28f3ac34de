/**
 * The app's place as a hash route: `#/chat`, `#/history`, `#/history/<episode id>`, …
 * A reload keeps the tab, and a link can open a tab or one stored episode.
 * Which tabs exist is the caller's list: a new tab is one entry there.
 */

export interface Route<T extends string> {
  tab: T;
  /** `#/history/<id>`: the episode opened in History. */
  episodeId?: string;
}

export function parseRoute<T extends string>(hash: string, tabs: readonly T[], fallback: T): Route<T> {
  const [name = '', ...rest] = hash.replace(/^#\/?/, '').split('/');
  const tab = tabs.find((t) => t === name);
  if (!tab) return { tab: fallback };
  const id = rest.length > 0 ? decodeURIComponent(rest.join('/')) : '';
  return id ? { tab, episodeId: id } : { tab };
}

export function formatRoute<T extends string>(r: Route<T>): string {
  return `#/${r.tab}${r.episodeId ? `/${encodeURIComponent(r.episodeId)}` : ''}`;
}

/** The tab an arrow key moves to in a tab list (ARIA tabs pattern: Left/Right wrap, Home/End); undefined for other keys. */
export function tabAfterKey<T>(tabs: readonly T[], current: T, key: string): T | undefined {
  const i = tabs.indexOf(current);
  const n = tabs.length;
  const to: Record<string, number> = { ArrowRight: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, Home: 0, End: n - 1 };
  const k = to[key];
  return k === undefined ? undefined : tabs[k];
}
