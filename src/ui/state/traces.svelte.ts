import { errorMessage } from '../../lib/errors.ts';
import { exportFileName, toJsonl } from '../../lib/traces/jsonl.ts';
import { facets, queryEpisodes, type Facets, type TraceQuery } from '../../lib/traces/query.ts';
import type { EpisodeTrace } from '../../lib/traces/schema.ts';
import { ensureRoom, requestPersistence, storageStatus, type StorageStatus } from '../../lib/traces/storage-status.ts';
import type { TraceStore } from '../../lib/traces/trace-store.ts';
import { liveEpisodeIds } from '../../lib/traces/liveness.ts';
import type { EpisodeSummary } from '../../lib/traces/summary.ts';
import { downloadText } from '../download.ts';

/** Replaced whole (state.raw), never mutated. */
const NONE_LIVE: ReadonlySet<string> = Object.freeze(new Set<string>());

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

/**
 * The review side of the traces: summaries for the list, the query over
 * them, the open episode, import/export and storage status. Works with the
 * network off: everything here reads IndexedDB only.
 */
export class TraceReview {
  summaries = $state.raw<EpisodeSummary[]>([]);
  query = $state.raw<TraceQuery>({});
  readonly results = $derived(queryEpisodes(this.summaries, this.query));
  readonly facets: Facets = $derived(facets(this.summaries));
  selected = $state.raw<EpisodeTrace | undefined>(undefined);
  presenting = $state(false);
  loading = $state(false);
  busy = $state<string | undefined>(undefined);
  notice = $state.raw<Notice | undefined>(undefined);
  storage = $state.raw<StorageStatus | undefined>(undefined);
  /** Episodes some tab runs now (liveness.ts): the list tells them from interrupted ones. */
  live = $state.raw<ReadonlySet<string>>(NONE_LIVE);
  /** Episodes ticked in the list (Space, or Ctrl/⌘-click) for deleting or exporting together. */
  marked = $state.raw<ReadonlySet<string>>(NONE_LIVE);

  constructor(
    private readonly store: TraceStore,
    /** The API keys currently configured, so an export can refuse any trace holding one. */
    private readonly secrets: () => string[],
    /** The fetch an episodes file from a URL comes through (recorded for "What left this browser"). */
    private readonly fetchEpisodes: typeof fetch = (...a) => fetch(...a),
  ) {}

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      [this.summaries, this.live] = await Promise.all([this.store.summaries(), liveEpisodeIds()]);
    } catch (err) {
      this.notice = { kind: 'error', text: errorMessage(err) };
    } finally {
      this.loading = false;
    }
  }

  setQuery(q: TraceQuery): void {
    this.query = q;
  }

  /** From a benchmark run to its episodes. */
  showRun(runId: string): void {
    this.query = { runId };
  }

  async open(id: string): Promise<void> {
    try {
      const [t, live] = await Promise.all([this.store.get(id), liveEpisodeIds()]);
      if (!t) throw new Error(`Episode ${id} is no longer stored.`);
      // Whether it still runs somewhere decides "interrupted" and its Resume: asked now, not at the last refresh.
      this.live = live;
      this.selected = t;
    } catch (err) {
      this.notice = { kind: 'error', text: errorMessage(err) };
    }
  }

  close(): void {
    this.selected = undefined;
    this.presenting = false;
  }

  toggleMark(id: string): void {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built, then stored whole in $state.raw, never mutated after
    const next = new Set(this.marked);
    if (!next.delete(id)) next.add(id);
    this.marked = next;
  }

  clearMarks(): void {
    this.marked = NONE_LIVE;
  }

  /** Deletes every ticked episode. */
  async removeMarked(): Promise<void> {
    const ids = [...this.marked];
    try {
      for (const id of ids) await this.store.delete(id);
      if (this.selected && ids.includes(this.selected.id)) this.close();
      this.notice = { kind: 'ok', text: `Deleted ${ids.length} episode${ids.length === 1 ? '' : 's'}.` };
    } catch (err) {
      this.notice = { kind: 'error', text: errorMessage(err) };
    } finally {
      this.marked = NONE_LIVE;
      await this.refresh();
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.store.delete(id);
      if (this.selected?.id === id) this.close();
      await this.refresh();
    } catch (err) {
      this.notice = { kind: 'error', text: errorMessage(err) };
    }
  }

  /** Imports an episodes file (JSONL or tau-bench results) from a URL (a link shared after a talk); the same checks as a file. */
  async importUrl(url: string): Promise<void> {
    this.notice = undefined;
    let blob: Blob;
    this.busy = 'Downloading…';
    try {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off URL resolution, not state
      const res = await this.fetchEpisodes(new URL(url, globalThis.location?.href).href);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      blob = await res.blob();
    } catch (err) {
      this.notice = { kind: 'error', text: `Could not open ${url}: ${errorMessage(err)}. Nothing was written.` };
      this.busy = undefined;
      return;
    }
    await this.importFile(blob, url.split(/[?#]/)[0]?.split('/').pop());
  }

  /**
   * Validates the whole file before writing anything; a bad file changes nothing.
   * Spotter's JSONL or a tau-bench results file (told apart by content).
   */
  async importFile(file: Blob & { name?: string }, name: string | undefined = file.name): Promise<void> {
    this.busy = 'Importing…';
    this.notice = undefined;
    try {
      const text = await file.text();
      // The results-file readers (tau-bench, tau2-bench) load with the first import, not with the page.
      const { parseEpisodeFile } = await import('../../lib/traces/episode-file.ts');
      const parsed = parseEpisodeFile(text, name ? { actor: `tau-bench results: ${name}` } : {});
      await ensureRoom(text.length, 'this import');
      const r = await this.store.importMany(parsed.traces);
      const skipped = r.skipped + parsed.duplicatesInFile;
      this.notice = { kind: 'ok', text: `Imported ${r.added} episode${r.added === 1 ? '' : 's'}${skipped ? `, skipped ${skipped} already stored` : ''}.` };
      await this.refresh();
      await this.refreshStorage();
    } catch (err) {
      this.notice = { kind: 'error', text: `Import rejected, nothing was written. ${errorMessage(err)}` };
    } finally {
      this.busy = undefined;
    }
  }

  /** Exports the given episodes (all when omitted) as JSONL; refuses if any holds a configured key. */
  async exportJsonl(ids?: ReadonlySet<string>): Promise<{ text: string; count: number } | undefined> {
    this.busy = 'Exporting…';
    this.notice = undefined;
    try {
      const { traces } = await this.store.list();
      const chosen = ids ? traces.filter((t) => ids.has(t.id)) : traces;
      return { text: toJsonl(chosen, this.secrets()), count: chosen.length };
    } catch (err) {
      this.notice = { kind: 'error', text: errorMessage(err) };
      return undefined;
    } finally {
      this.busy = undefined;
    }
  }

  async download(ids?: ReadonlySet<string>): Promise<void> {
    const r = await this.exportJsonl(ids);
    if (!r) return;
    downloadText(exportFileName(), r.text, 'application/jsonl');
    this.notice = { kind: 'ok', text: `Exported ${r.count} episode${r.count === 1 ? '' : 's'}.` };
  }

  async refreshStorage(): Promise<void> {
    try {
      this.storage = await storageStatus();
    } catch (err) {
      this.notice = { kind: 'error', text: errorMessage(err) };
    }
  }

  async persist(): Promise<void> {
    const ok = await requestPersistence();
    this.notice = ok
      ? { kind: 'ok', text: 'The browser will keep stored episodes under storage pressure.' }
      : { kind: 'error', text: 'The browser declined persistent storage; episodes may be evicted when space runs low. Export them to be safe.' };
    await this.refreshStorage();
  }
}
