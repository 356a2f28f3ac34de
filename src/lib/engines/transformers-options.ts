/**
 * A transformers.js critic model and how to run it: written once, as a schema,
 * because it crosses the worker boundary (load, deleteCache), is picked in the
 * Critic tab and is the `transformers` critic spec of the factory. Kept apart
 * from transformers.ts so the main thread reads it without loading transformers.js.
 */
import { z } from 'zod';

export const TransformersDeviceSchema = z.enum(['auto', 'webgpu', 'wasm', 'cpu']);
export type TransformersDevice = z.infer<typeof TransformersDeviceSchema>;
export const TransformersDtypeSchema = z.enum(['auto', 'q4', 'q4f16', 'fp16', 'fp32']);
export type TransformersDtype = z.infer<typeof TransformersDtypeSchema>;

export const TransformersConfigSchema = z.object({
  engine: z.literal('transformers'),
  /** A model id (under localModelPath, or on the Hugging Face hub when remote models are allowed) or a URL of a model folder. */
  model: z.string().min(1),
  device: TransformersDeviceSchema.optional(),
  dtype: TransformersDtypeSchema.optional(),
  /** Where local models live: a folder under Node, a URL prefix in the browser ('/models/'). */
  localModelPath: z.string().optional(),
  allowRemoteModels: z.boolean().optional(),
  /** URL prefix of the app's own copy of onnxruntime-web's wasm files ('/ort/'); never a CDN. */
  ortWasmPrefix: z.string().optional(),
  /** Whether the adapter has shader-f16 (decides q4f16 vs q4 on WebGPU). */
  shaderF16: z.boolean().optional(),
  maxNewTokens: z.number().int().positive().optional(),
  /** Keep the KV cache between calls and reuse the shared prefix (default true). */
  reusePrefix: z.boolean().optional(),
  /** A smaller context window than the model's own (config.json max_position_embeddings), for a small device. */
  contextWindow: z.number().int().positive().optional(),
  /**
   * 'incremental' (default for a model with KV-cache inputs) grows one critic
   * chat per episode, so every request extends the cached tokens exactly and
   * the cache is reused on WebGPU too; 'single-turn' sends buildCriticPrompt's
   * text, the format a fine-tuned critic was trained on.
   */
  promptStyle: z.enum(['single-turn', 'incremental']).optional(),
});
export type TransformersConfig = z.infer<typeof TransformersConfigSchema>;
/** The engine's options: the config without its tag. */
export type TransformersEngineOptions = Omit<TransformersConfig, 'engine'>;
