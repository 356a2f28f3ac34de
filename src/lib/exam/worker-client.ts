/**
 * The page's side of the exam worker: each call posts a request and resolves
 * with its validated result, reporting progress on the way. If the worker
 * dies, pending calls reject (WorkerLink) instead of hanging.
 */
import type { z } from 'zod';
import { ValidationError } from '../errors.ts';
import type { PackLocation } from '../envs/userbench/pack-worker-protocol.ts';
import { WorkerLink, type WorkerEndpoint } from '../worker-link.ts';
import type { ExamItem } from './schema.ts';
import type { ExamSetName } from './sets.ts';
import {
  EpisodeListSchema,
  EpisodeResultSchema,
  ExamWorkerResponseSchema,
  SetResultSchema,
  type EpisodeListEntry,
  type EpisodeResult,
  type ExamWorkerProgress,
  type ExamWorkerRequest,
} from './worker-protocol.ts';

type Body = ExamWorkerRequest extends infer R ? (R extends ExamWorkerRequest ? Omit<R, 'id'> : never) : never;

export class ExamWorkerClient {
  readonly #link: WorkerLink<ExamWorkerProgress>;

  constructor(endpoint: WorkerEndpoint) {
    this.#link = new WorkerLink(endpoint, 'exam worker', ExamWorkerResponseSchema);
  }

  get dead(): boolean {
    return this.#link.dead !== undefined;
  }

  #call<T>(body: Body, schema: z.ZodType<T>, onProgress?: (p: ExamWorkerProgress) => void): Promise<T> {
    return this.#link.call(
      body,
      (value) => {
        const r = schema.safeParse(value);
        if (r.success) return r.data;
        throw new ValidationError(`exam worker's ${body.type} result`, `${r.error.issues[0]?.path.join('.') ?? ''}: ${r.error.issues[0]?.message ?? 'invalid'}`);
      },
      onProgress,
    );
  }

  set(location: PackLocation, set: ExamSetName, onProgress?: (p: ExamWorkerProgress) => void): Promise<ExamItem[]> {
    return this.#call({ type: 'set', location, set }, SetResultSchema, onProgress);
  }

  episodes(location: PackLocation, onProgress?: (p: ExamWorkerProgress) => void): Promise<EpisodeListEntry[]> {
    return this.#call({ type: 'episodes', location }, EpisodeListSchema, onProgress);
  }

  episode(location: PackLocation, episodeId: string, onProgress?: (p: ExamWorkerProgress) => void): Promise<EpisodeResult> {
    return this.#call({ type: 'episode', location, episodeId }, EpisodeResultSchema, onProgress);
  }

  dispose(): void {
    this.#link.dispose();
  }
}
