/**
 * The critic exam's data: one item is one decision a critic must make, with
 * the label it should give and the evidence behind that label; one record is
 * one critic's verdict on one item. The app, the CLI and imported files share
 * these schemas (documented in docs/exam.md); bump the version with a note
 * there whenever a stored or exported shape changes.
 */
import { z } from 'zod';
import { CriticInputSchema } from '../critic/critic-interface.ts';
import { EpisodeEnvironmentSchema } from '../envs/environment.ts';
import { VerdictSchema } from '../contracts.ts';

export const EXAM_SCHEMA_VERSION = 1;

const ExamLabelSchema = z.enum(['approve', 'revise']);
export type ExamLabel = z.infer<typeof ExamLabelSchema>;

/** Where an item came from: the real episode and message it was cut from, and the mutation applied, if any. */
const ExamSourceSchema = z.object({
  /** The History episode id it was cut from (`tau-bench/airline/<task_id>/<trial>` for imported results). */
  episodeId: z.string().optional(),
  taskId: z.number().int().nonnegative().optional(),
  trial: z.number().int().nonnegative().optional(),
  /** Index of the proposing assistant message in the original `traj`. */
  messageIndex: z.number().int().nonnegative().optional(),
  /** The episode's final reward in the original run. */
  reward: z.number().optional(),
  mutation: z
    .object({
      /** The source item's id. */
      of: z.string().min(1),
      kind: z.string().min(1),
      /** What was changed, in words (e.g. "payment_id credit_card_4421486 -> gift_card_5309492"). */
      change: z.string(),
    })
    .optional(),
});

export const ExamItemSchema = z.object({
  schemaVersion: z.literal(EXAM_SCHEMA_VERSION),
  id: z.string().min(1),
  /** The set it belongs to (`tau-airline-gpt4o`, `tau-airline-gpt4o-mutations`, `quick`, or a personal set's name). */
  set: z.string().min(1),
  environment: EpisodeEnvironmentSchema,
  /** The proposed tool's name, or `message` for a message to the user: the key of the per-tool breakdown. */
  tool: z.string().min(1),
  /** Exactly what the critic sees: policy, tools, the conversation so far and the proposed action. */
  input: CriticInputSchema,
  label: ExamLabelSchema,
  /** The evidence behind the label, in words. */
  why: z.string().min(1),
  source: ExamSourceSchema,
});
export type ExamItem = z.infer<typeof ExamItemSchema>;

/** A verdict as the exam counts it: `unparsed` (output not a verdict) and `failed` (error, timeout, overflow) apart. */
const ExamDecisionSchema = z.enum(['approve', 'revise', 'unparsed', 'failed']);
export type ExamDecision = z.infer<typeof ExamDecisionSchema>;

/** One critic's verdict on one item, stored as it lands (IndexedDB in the app, results.json from the CLI). */
export const ExamRecordSchema = z.object({
  id: z.string().min(1),
  label: ExamLabelSchema,
  tool: z.string().min(1),
  /** The environment's domain (`airline`, `retail`, …) for the per-domain breakdown. */
  domain: z.string().min(1),
  decision: ExamDecisionSchema,
  // The verdict's own fields, as the critic gave them (raw: an unparsed verdict's output; errorCode: e.g. 'context-overflow').
  ...VerdictSchema.pick({ feedback: true, category: true, raw: true, error: true, errorCode: true, latencyMs: true }).shape,
  promptTokens: z.number().int().nonnegative().optional(),
  outputTokens: z.number().int().nonnegative().optional(),
});
export type ExamRecord = z.infer<typeof ExamRecordSchema>;
