/**
 * The exam worker's side, as a plain class: loads the airline pack and the
 * historical GPT-4o file, builds the exam sets and the episodes from them, and
 * keeps what it built per pack location for the next request. The worker
 * entry hands it its messages; tests call it under Node.
 */
import { SpotterError, badRequestResponse, toWireError } from '../errors.ts';
import { loadTauPack, type PackSource, type TauPack } from '../envs/tau-bench/pack.ts';
import type { PackLocation } from '../envs/userbench/pack-worker-protocol.ts';
import { parseTauResultRecords, tauResultsToEpisodes, type TauResult } from '../traces/tau-results.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import type { ExamItem } from './schema.ts';
import { buildExamSet, type ExamSetName } from './sets.ts';
import { REAL_SET } from './tau-airline.ts';
import { ExamWorkerRequestSchema, type EpisodeListEntry, type EpisodeResult, type ExamWorkerProgress, type ExamWorkerRequest, type ExamWorkerResponse } from './worker-protocol.ts';

interface ExamWorkerDeps {
  post(message: ExamWorkerResponse): void;
  /** The pack's files at a location. */
  packSource(location: PackLocation): PackSource;
  /** The historical file's text at a location (or its fallbacks), with progress. */
  historical(location: PackLocation, onProgress: (p: ExamWorkerProgress) => void): Promise<string>;
}

interface Loaded {
  pack: TauPack;
  records: TauResult[];
  episodes?: EpisodeTrace[];
  sets: Partial<Record<ExamSetName, ExamItem[]>>;
}

/** One key per location: a URL, or one pick of files (a new pick is new files). */
const keyOf = (l: PackLocation): string => (l.kind === 'url' ? l.baseUrl : `files:${l.files.map((f) => `${f.webkitRelativePath || f.name}:${f.size}:${f.lastModified}`).join('|')}`);

export class ExamWorkerHandler {
  readonly #loaded = new Map<string, Promise<Loaded>>();

  constructor(private readonly deps: ExamWorkerDeps) {}

  /** Handles one message; never throws (failures go back as error responses). */
  async handle(data: unknown): Promise<void> {
    const parsed = ExamWorkerRequestSchema.safeParse(data);
    if (!parsed.success) {
      this.deps.post(badRequestResponse(data, parsed.error));
      return;
    }
    const req = parsed.data;
    try {
      this.deps.post({ id: req.id, type: 'result', value: await this.#answer(req) });
    } catch (err) {
      this.deps.post({ id: req.id, type: 'error', error: toWireError(err) });
    }
  }

  async #answer(req: ExamWorkerRequest): Promise<ExamItem[] | EpisodeListEntry[] | EpisodeResult> {
    const progress = (p: ExamWorkerProgress) => this.deps.post({ id: req.id, type: 'progress', progress: p });
    const loaded = await this.#load(req.location, progress);
    switch (req.type) {
      case 'set':
        return this.#set(loaded, req.set, progress);
      case 'episodes':
        return this.#episodes(loaded).map((e) => ({ id: e.id, taskId: e.meta.taskIndex ?? 0, trial: e.meta.trial ?? 0, ...(e.reward !== undefined ? { reward: e.reward } : {}) }));
      case 'episode': {
        const trace = this.#episodes(loaded).find((e) => e.id === req.episodeId);
        if (!trace) throw new SpotterError('not-found', `No episode ${req.episodeId} in the historical file`);
        const items = this.#set(loaded, REAL_SET, progress).filter((i) => i.source.episodeId === trace.id);
        return { trace, tools: loaded.pack.domains.airline?.tools ?? [], items };
      }
    }
  }

  #set(loaded: Loaded, name: ExamSetName, progress: (p: ExamWorkerProgress) => void): ExamItem[] {
    const known = loaded.sets[name];
    if (known) return known;
    progress({ text: `Building the ${name} set from the 200 episodes…` });
    const items = buildExamSet(name, { pack: loaded.pack, historical: loaded.records });
    loaded.sets[name] = items;
    return items;
  }

  #episodes(loaded: Loaded): EpisodeTrace[] {
    loaded.episodes ??= tauResultsToEpisodes(loaded.records, { domain: 'airline', actor: 'gpt-4o', now: 0 }).episodes;
    return loaded.episodes;
  }

  #load(location: PackLocation, progress: (p: ExamWorkerProgress) => void): Promise<Loaded> {
    const key = keyOf(location);
    let p = this.#loaded.get(key);
    if (!p) {
      p = (async () => {
        const pack = await loadTauPack(this.deps.packSource(location), ['airline'], { airline: ['test'] });
        const text = await this.deps.historical(location, progress);
        progress({ text: 'Reading the 200 GPT-4o episodes…' });
        return { pack, records: parseTauResultRecords(JSON.parse(text)), sets: {} };
      })();
      this.#loaded.set(key, p);
      p.catch(() => this.#loaded.delete(key));
    }
    return p;
  }
}
