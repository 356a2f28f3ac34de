/**
 * Where the Exam tab's data comes from: the exam worker, which loads the
 * tau-bench pack (the chat's pick: its opened folder, else its URL) and the
 * historical GPT-4o file beside it, and builds the sets and episodes there.
 * One worker for the page, a fresh one if it died.
 */
import type { PackLocation } from '../../lib/envs/userbench/pack-worker-protocol.ts';
import { ExamSetNameSchema } from '../../lib/exam/sets.ts';
import { examToJsonl, parseExamJsonl } from '../../lib/exam/jsonl.ts';
import type { ExamItem } from '../../lib/exam/schema.ts';
import type { PersonalSet } from '../../lib/exam/store.ts';
import { ExamWorkerClient } from '../../lib/exam/worker-client.ts';
import type { EpisodeListEntry, EpisodeResult, ExamWorkerProgress } from '../../lib/exam/worker-protocol.ts';
import type { AppState } from './app.svelte.ts';

export class ExamData {
  #client: ExamWorkerClient | undefined;

  constructor(private readonly app: AppState) {}

  #worker(): ExamWorkerClient {
    if (!this.#client || this.#client.dead) {
      this.#client = new ExamWorkerClient(new Worker(new URL('../../workers/exam.worker.ts', import.meta.url), { type: 'module' }));
    }
    return this.#client;
  }

  /** The chat's tau-bench pack: the opened folder, else the URL. */
  location(): PackLocation {
    const env = this.app.environment;
    return env.folder ? { kind: 'files', files: env.folder } : { kind: 'url', baseUrl: new URL(env.packUrl, globalThis.location?.href).href };
  }

  /** A set's items: a personal one from this browser, a built-in one from the worker. */
  async set(name: string, onProgress: (p: ExamWorkerProgress) => void): Promise<ExamItem[]> {
    const personal = this.app.exam.personalSets.find((s) => s.name === name);
    if (personal) return personal.items;
    const builtIn = ExamSetNameSchema.safeParse(name);
    if (!builtIn.success) throw new Error(`There is no exam set named "${name}" in this browser.`);
    return this.#worker().set(this.location(), builtIn.data, onProgress);
  }

  episodes(onProgress: (p: ExamWorkerProgress) => void): Promise<EpisodeListEntry[]> {
    return this.#worker().episodes(this.location(), onProgress);
  }

  episode(id: string, onProgress: (p: ExamWorkerProgress) => void): Promise<EpisodeResult> {
    return this.#worker().episode(this.location(), id, onProgress);
  }

  /** A set's items as JSONL, one item per line. */
  async jsonl(name: string): Promise<{ text: string; count: number }> {
    const items = await this.set(name, () => undefined);
    return { text: examToJsonl(items), count: items.length };
  }
}

/** A JSONL file of exam items as a personal set, named after its items' set (validated whole: one bad line rejects it). */
export async function personalSetFromFile(file: File, now = Date.now()): Promise<PersonalSet> {
  const items = parseExamJsonl(await file.text());
  const names = [...new Set(items.map((i) => i.set))];
  const name = names.length === 1 && names[0] ? names[0] : file.name.replace(/\.jsonl?$/i, '');
  if (ExamSetNameSchema.safeParse(name).success) throw new Error(`${file.name}: "${name}" is a built-in set's name; a personal set needs its own name (the items' "set" field).`);
  return { name, createdAt: now, origin: `imported from ${file.name}`, items };
}
