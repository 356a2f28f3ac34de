import { z } from 'zod';
import { EpisodeMetaSchema, OutcomeSchema, TimelineEntrySchema } from '../loop/events.ts';

/** Bump with a migration in migrations.ts whenever the stored shape changes. */
export const TRACE_SCHEMA_VERSION = 5;

/**
 * One episode as stored in IndexedDB and exported as one JSONL line.
 * Holds no secrets: keys live only in the settings store, never here.
 */
export const EpisodeTraceSchema = z.object({
  schemaVersion: z.literal(TRACE_SCHEMA_VERSION),
  id: z.string().min(1),
  createdAt: z.number(),
  updatedAt: z.number(),
  meta: EpisodeMetaSchema,
  policy: z.string(),
  timeline: z.array(TimelineEntrySchema),
  /** 'running' until the episode ends; a trace left 'running' after a reload was interrupted. */
  status: z.union([z.literal('running'), OutcomeSchema]),
  endedAt: z.number().optional(),
  reward: z.number().optional(),
  rewardDetails: z.record(z.string(), z.unknown()).optional(),
  error: z.string().optional(),
});
export type EpisodeTrace = z.infer<typeof EpisodeTraceSchema>;
