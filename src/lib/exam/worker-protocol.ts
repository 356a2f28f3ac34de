/**
 * Messages between the page and the exam worker, validated with zod where
 * they arrive. Building a set replays 200 real episodes against gold (about a
 * second of work) and the historical file is 4 MB of JSON: both run in the
 * worker, which keeps what it built for the next request. Each request carries
 * an id that its progress, result or error echo back.
 */
import { z } from 'zod';
import { linkResponseSchema } from '../worker-link.ts';
import { PackLocationSchema } from '../envs/userbench/pack-worker-protocol.ts';
import { EpisodeTraceSchema } from '../traces/schema.ts';
import { ToolSchemaSchema } from '../contracts.ts';
import { ExamItemSchema } from './schema.ts';
import { ExamSetNameSchema } from './sets.ts';

/** Progress of a request: the historical file's bytes, then the build. */
const ExamWorkerProgressSchema = z.object({ text: z.string(), fraction: z.number().min(0).max(1).optional() });
export type ExamWorkerProgress = z.infer<typeof ExamWorkerProgressSchema>;

const id = z.string().min(1);

// `location`: where the tau-bench pack is (its historical/ folder holds the GPT-4o file): a URL, or a folder the person opened.

export const ExamWorkerRequestSchema = z.discriminatedUnion('type', [
  /** A built-in set's items. */
  z.object({ id, type: z.literal('set'), location: PackLocationSchema, set: ExamSetNameSchema }),
  /** The 200 real episodes, as a list to pick from. */
  z.object({ id, type: z.literal('episodes'), location: PackLocationSchema }),
  /** One real episode, with the tau-airline-gpt4o items cut from it. */
  z.object({ id, type: z.literal('episode'), location: PackLocationSchema, episodeId: z.string().min(1) }),
]);
export type ExamWorkerRequest = z.infer<typeof ExamWorkerRequestSchema>;

/** A result's value is checked by the page against the request's result schema below. */
export const ExamWorkerResponseSchema = linkResponseSchema(ExamWorkerProgressSchema);
export type ExamWorkerResponse = z.infer<typeof ExamWorkerResponseSchema>;

export const SetResultSchema = z.array(ExamItemSchema);
export const EpisodeListSchema = z.array(z.object({ id: z.string(), taskId: z.number().int(), trial: z.number().int(), reward: z.number().optional() }));
export type EpisodeListEntry = z.infer<typeof EpisodeListSchema>[number];
/** An episode with the airline tools its actor had and the tau-airline-gpt4o items cut from it. */
export const EpisodeResultSchema = z.object({ trace: EpisodeTraceSchema, tools: z.array(ToolSchemaSchema), items: z.array(ExamItemSchema) });
export type EpisodeResult = z.infer<typeof EpisodeResultSchema>;
