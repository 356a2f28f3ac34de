/**
 * Messages between the main thread and a critic worker. Both directions are
 * validated with zod where they arrive; every request carries an id that its
 * progress, result or error echo back.
 */
import { z } from 'zod';
import { SpotterError, WireErrorSchema, errorMessage, type WireError } from '../errors.ts';
import { ActionSchema, ChatMessageSchema, ToolSchemaSchema, VerdictSchema } from '../types.ts';
import { EngineLoadInfoSchema, EngineProgressSchema, GenerateRequestSchema, GenerateResultSchema } from '../engines/types.ts';

export const CriticInputSchema = z.object({
  policy: z.string(),
  tools: z.array(ToolSchemaSchema),
  history: z.array(ChatMessageSchema),
  proposal: ActionSchema,
  previousAttempts: z.array(z.object({ action: ActionSchema, feedback: z.string() })),
});

export const TransformersConfigSchema = z.object({
  engine: z.literal('transformers'),
  model: z.string().min(1),
  device: z.enum(['auto', 'webgpu', 'wasm', 'cpu']).optional(),
  dtype: z.enum(['auto', 'q4', 'q4f16', 'fp16', 'fp32']).optional(),
  localModelPath: z.string().optional(),
  allowRemoteModels: z.boolean().optional(),
  ortWasmPrefix: z.string().optional(),
  shaderF16: z.boolean().optional(),
  maxNewTokens: z.number().int().positive().optional(),
  reusePrefix: z.boolean().optional(),
  /** A smaller context window than the model's own (config.json max_position_embeddings), for a small device. */
  contextWindow: z.number().int().positive().optional(),
  /** 'single-turn' for a critic fine-tuned on buildCriticPrompt's format; default: incremental where the model keeps a KV cache. */
  promptStyle: z.enum(['single-turn', 'incremental']).optional(),
});
export type TransformersConfig = z.infer<typeof TransformersConfigSchema>;

const id = z.string().min(1);

export const WorkerRequestSchema = z.discriminatedUnion('type', [
  z.object({ id, type: z.literal('load'), config: TransformersConfigSchema }),
  z.object({ id, type: z.literal('judge'), input: CriticInputSchema }),
  /** Prefill the prompt up to the proposal (the critic contract's optional prepare). */
  z.object({ id, type: z.literal('prepare'), input: CriticInputSchema.omit({ proposal: true }) }),
  z.object({ id, type: z.literal('generate'), request: GenerateRequestSchema }),
  z.object({ id, type: z.literal('cancel'), target: id }),
  z.object({ id, type: z.literal('unload') }),
  /** Which model's files to delete: the loaded one when absent. */
  z.object({ id, type: z.literal('deleteCache'), config: TransformersConfigSchema.optional() }),
]);
export type WorkerRequest = z.infer<typeof WorkerRequestSchema>;
export type WorkerRequestType = WorkerRequest['type'];


export const WorkerResponseSchema = z.discriminatedUnion('type', [
  z.object({ id, type: z.literal('result'), value: z.unknown() }),
  z.object({ id, type: z.literal('error'), error: WireErrorSchema }),
  z.object({ id, type: z.literal('progress'), progress: EngineProgressSchema }),
]);
export type WorkerResponse = z.infer<typeof WorkerResponseSchema>;

export const JudgeResultSchema = z.object({
  verdict: VerdictSchema,
  stats: z.object({ prefillTokens: z.number().int().nonnegative(), reusedTokens: z.number().int().nonnegative() }),
});

export const DeleteCacheResultSchema = z.object({
  /** Bytes of origin storage in use before and after, from navigator.storage.estimate(). */
  usageBefore: z.number().optional(),
  usageAfter: z.number().optional(),
  deletedEntries: z.number().int().nonnegative(),
});
export type DeleteCacheResult = z.infer<typeof DeleteCacheResultSchema>;

/** What each request resolves to, validated on arrival. */
export const RESULT_SCHEMAS = {
  load: EngineLoadInfoSchema,
  judge: JudgeResultSchema,
  prepare: z.null(),
  generate: GenerateResultSchema,
  cancel: z.null(),
  unload: z.null(),
  deleteCache: DeleteCacheResultSchema,
} as const satisfies Record<WorkerRequestType, z.ZodType>;

/**
 * Any failure as it crosses the boundary. Engine runtimes report GPU trouble
 * only in their messages, so those are classified here into stable codes.
 */
export function toWireError(err: unknown): WireError {
  if (err instanceof SpotterError) return err.toWire();
  const message = errorMessage(err);
  const name = err instanceof Error ? err.name : 'Error';
  if (name === 'AbortError') return { name: 'AbortedError', code: 'aborted', message: 'Stopped' };
  if (/device (was )?lost|DeviceLost/i.test(message)) return { name: 'EngineError', code: 'device-lost', message };
  if (/out of memory|\bOOM\b|GPUOutOfMemory|failed to allocate|allocation fail/i.test(message)) return { name: 'EngineError', code: 'oom', message };
  if (/WebGPU is not (supported|available)|Cannot find WebGPU|navigator\.gpu|no (WebGPU )?adapter/i.test(message)) {
    return { name: 'EngineError', code: 'no-webgpu', message };
  }
  return { name: 'EngineError', code: 'engine', message };
}
