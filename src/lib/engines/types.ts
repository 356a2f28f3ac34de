/**
 * What every in-browser critic engine (transformers.js, web-llm) offers the
 * worker handler. Schemas, because load info, progress and results cross the
 * worker boundary and are validated where they arrive.
 */
import { z } from 'zod';
import { UsageSchema } from '../types.ts';
import { firstJsonObject } from '../jsonObject.ts';
import type { PromptBudget } from '../critic/budget.ts';

export const EngineProgressSchema = z.object({
  stage: z.enum(['download', 'load', 'ready']),
  /** 0..1 when known. */
  fraction: z.number().min(0).max(1).optional(),
  loaded: z.number().nonnegative().optional(),
  total: z.number().nonnegative().optional(),
  file: z.string().optional(),
  text: z.string(),
});
export type EngineProgress = z.infer<typeof EngineProgressSchema>;

export const EngineLoadInfoSchema = z.object({
  engine: z.enum(['transformers', 'webllm']),
  model: z.string(),
  /** The device the model actually runs on, after any fallback. */
  device: z.string(),
  dtype: z.string().optional(),
  /** Every device/dtype tried, with the reason each failed, in order. */
  attempts: z.array(z.object({ device: z.string(), dtype: z.string().optional(), error: z.string().optional() })),
  loadMs: z.number().nonnegative(),
  /** Whether the engine keeps the shared prompt prefix cached between calls. */
  kvReuse: z.boolean(),
  /** Tokens the loaded model can attend to (prompt + verdict); the prompt budget is sized from it. */
  contextWindow: z.number().int().positive().optional(),
});
export type EngineLoadInfo = z.infer<typeof EngineLoadInfoSchema>;

export const GenerateRequestSchema = z.object({
  system: z.string(),
  user: z.string(),
  maxNewTokens: z.number().int().positive().optional(),
  /** JSON schema (as a string) to constrain output with, where the engine can. */
  jsonSchema: z.string().optional(),
  /** Stop decoding as soon as one complete JSON object has been written. */
  stopAtJson: z.boolean().optional(),
});
export type GenerateRequest = z.infer<typeof GenerateRequestSchema>;
/** A request's decoding options, for a chat given as turns. */
export type GenerateOptions = Omit<GenerateRequest, 'system' | 'user'>;

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * How a critic lays out its prompt: 'single-turn' (buildCriticPrompt, the
 * training format) or 'incremental' (one growing chat per episode, whose
 * every request extends the previous one, so engines reuse their KV cache).
 */
export type PromptStyle = 'single-turn' | 'incremental';

export interface PrefillResult {
  prefillTokens: number;
  reusedTokens: number;
}

export const GenerateResultSchema = z.object({
  text: z.string(),
  usage: UsageSchema,
  /** Prompt tokens the engine computed this call. */
  prefillTokens: z.number().int().nonnegative(),
  /** Prompt tokens served from the cache kept since the previous call. */
  reusedTokens: z.number().int().nonnegative(),
  latencyMs: z.number().nonnegative(),
});
export type GenerateResult = z.infer<typeof GenerateResultSchema>;

export type ProgressListener = (p: EngineProgress) => void;

export interface CriticEngine {
  readonly label: string;
  /** The loaded model's context window; undefined before load or when unknown. */
  readonly contextWindow?: number | undefined;
  load(onProgress: ProgressListener): Promise<EngineLoadInfo>;
  generate(req: GenerateRequest, signal: AbortSignal): Promise<GenerateResult>;
  /** The prompt layout this engine's critic uses (single-turn when absent). */
  readonly promptStyle?: PromptStyle;
  /** One generation over a whole chat (the incremental style). */
  generateChat?(turns: readonly ChatTurn[], req: GenerateOptions, signal: AbortSignal): Promise<GenerateResult>;
  /** Prefills the cache with a chat whose last turn is still open (the prompt up to the proposal). */
  prefill?(turns: readonly ChatTurn[], signal: AbortSignal): Promise<PrefillResult>;
  /** The prompt budget of the loaded model (its window, its own tokenizer); undefined before load. */
  promptBudget?(): PromptBudget | undefined;
  /** Drops the cached prefix (a new episode starts). */
  resetCache(): Promise<void>;
  unload(): Promise<void>;
  /** Deletes the model's files from browser storage. */
  deleteCache?(): Promise<void>;
}

/** True when `text` holds one complete top-level JSON object (braces in strings ignored): the verdict is written. */
export function hasCompleteJsonObject(text: string): boolean {
  return firstJsonObject(text) !== undefined;
}

/** Length of the shared prefix of two token sequences. */
export function commonPrefixLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
