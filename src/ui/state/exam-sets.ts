/**
 * Where the Exam tab's data comes from: the airline pack (through the app's
 * one pack cache, the chat's pick of folder or URL) and tau-bench's
 * historical GPT-4o file beside it. Loaded when the tab first needs them,
 * then kept for the session.
 */
import type { ExamItem } from '../../lib/exam/schema.ts';
import type { PersonalSet } from '../../lib/exam/store.ts';
import { parseTauResults } from '../../lib/traces/tauResults.ts';
import type { EpisodeTrace } from '../../lib/traces/schema.ts';
import type { ToolSchema } from '../../lib/types.ts';
import { formatBytes } from '../../lib/formatBytes.ts';
import type { AppState } from './app.svelte.ts';
import type { LoadProgress } from './exam.svelte.ts';

export const HISTORICAL_FILE = 'historical/gpt-4o-airline.json';

type Progress = (p: LoadProgress) => void;

let historicalText: Promise<string> | undefined;

/** The historical file's text, with byte progress; fetched once per session. */
function historical(app: AppState, onProgress: Progress): Promise<string> {
  historicalText ??= (async () => {
    const url = new URL(HISTORICAL_FILE, new URL(app.environment.packUrl, globalThis.location?.href)).href;
    const res = await app.requests.fetchFor('pack')(url);
    if (!res.ok || !res.body) throw new Error(`Could not load the GPT-4o episodes (${url}): HTTP ${res.status}`);
    const total = Number(res.headers.get('content-length')) || undefined;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      loaded += value.byteLength;
      onProgress({ text: `The 200 GPT-4o episodes: ${formatBytes(loaded)}${total ? ` of ${formatBytes(total)}` : ''}`, fraction: total ? loaded / total : undefined });
    }
    return text + decoder.decode();
  })().catch((err: unknown) => {
    historicalText = undefined;
    throw err;
  });
  return historicalText;
}

let episodes: Promise<EpisodeTrace[]> | undefined;

/** The 200 real episodes as History episodes (ids `tau-bench/airline/<task>/<trial>`). */
export function historicalEpisodes(app: AppState, onProgress: Progress): Promise<EpisodeTrace[]> {
  episodes ??= historical(app, onProgress)
    .then((text) => parseTauResults(text, { domain: 'airline', actor: 'gpt-4o' }).episodes)
    .catch((err: unknown) => {
      episodes = undefined;
      throw err;
    });
  return episodes;
}

export async function airlineTools(app: AppState): Promise<ToolSchema[]> {
  const pack = await app.environment.tauPack('airline', 'test');
  return pack.domains.airline?.tools ?? [];
}

/** A built-in set's items, built from the pack and the historical file. */
export async function loadExamSet(app: AppState, set: string, onProgress: Progress, signal: AbortSignal): Promise<ExamItem[]> {
  const personal = app.exam.personalSets.find((s) => s.name === set);
  if (personal) return personal.items;
  const pack = await app.environment.tauPack('airline', 'test');
  const text = await historical(app, onProgress);
  signal.throwIfAborted();
  onProgress({ text: `Building the ${set} set…` });
  void pack;
  void text;
  throw new Error(`the ${set} set is not built yet`);
}

/** A set's items as JSONL, one item per line. */
export async function examSetJsonl(app: AppState, name: string): Promise<{ text: string; count: number }> {
  const items = await loadExamSet(app, name, () => undefined, new AbortController().signal);
  return { text: items.map((i) => JSON.stringify(i)).join('\n') + '\n', count: items.length };
}

/** A JSONL file of exam items as a personal set named after the items' set. */
export async function importExamSetFile(file: File): Promise<PersonalSet> {
  void file;
  throw new Error('not yet');
}
