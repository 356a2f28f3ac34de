/**
 * Messages between the main thread and a critic worker. Both directions are
 * validated with zod where they arrive; every request carries an id that its
 * progress, result or error echo back.
 */
import { z } from 'zod';
import { linkResponseSchema } from '../worker-link.ts';
import { VerdictSchema } from '../contracts.ts';
import { CriticInputSchema } from './critic-interface.ts';
import { DeleteReportSchema, EngineLoadInfoSchema, EngineProgressSchema, GenerateRequestSchema, GenerateResultSchema } from '../engines/engine-interface.ts';
import { TransformersConfigSchema } from '../engines/transformers-options.ts';

const id = z.string().min(1);

export const WorkerRequestSchema = z.discriminatedUnion('type', [
  z.object({ id, type: z.literal('load'), config: TransformersConfigSchema }),
  z.object({ id, type: z.literal('judge'), input: CriticInputSchema }),
  /** Prefill the prompt up to the proposal (the critic contract's optional prepare). */
  z.object({ id, type: z.literal('prepare'), input: CriticInputSchema.omit({ proposal: true }) }),
  z.object({ id, type: z.literal('generate'), request: GenerateRequestSchema }),
  z.object({ id, type: z.literal('cancel'), target: id }),
  z.object({ id, type: z.literal('unload') }),
  /** Start the next verdict in a fresh critic chat (the critic contract's optional forget). */
  z.object({ id, type: z.literal('forget') }),
  /** Which model's files to delete: the loaded one when absent. */
  z.object({ id, type: z.literal('deleteCache'), config: TransformersConfigSchema.optional() }),
]);
export type WorkerRequest = z.infer<typeof WorkerRequestSchema>;
type WorkerRequestType = WorkerRequest['type'];


export const WorkerResponseSchema = linkResponseSchema(EngineProgressSchema);
export type WorkerResponse = z.infer<typeof WorkerResponseSchema>;

const JudgeResultSchema = z.object({
  verdict: VerdictSchema,
  stats: z.object({ prefillTokens: z.number().int().nonnegative(), reusedTokens: z.number().int().nonnegative() }),
});

/** What each request resolves to, validated on arrival. */
export const RESULT_SCHEMAS = {
  load: EngineLoadInfoSchema,
  judge: JudgeResultSchema,
  prepare: z.null(),
  generate: GenerateResultSchema,
  cancel: z.null(),
  unload: z.null(),
  forget: z.null(),
  deleteCache: DeleteReportSchema,
} as const satisfies Record<WorkerRequestType, z.ZodType>;
