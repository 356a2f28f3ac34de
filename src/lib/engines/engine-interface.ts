/**
 * What every on-device engine (transformers.js, web-llm) offers: one lifecycle
 * (load, progress, unload, cache deletion, context window) for the critic and
 * the local actor alike, and generation for the critic on top. Schemas, because
 * load info, progress, results and delete reports cross the worker boundary and
 * are validated where they arrive. Nothing here knows about critics or actors.
 */
import { z } from 'zod';
import { OnDeviceEngineKindSchema, UsageSchema, type OnDeviceEngineKind } from '../contracts.ts';
import { firstJsonObject } from '../json-object.ts';

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

/** The on-device engines: part of the one engine vocabulary (contracts.ts). */
export { OnDeviceEngineKindSchema, type OnDeviceEngineKind } from '../contracts.ts';

export const EngineLoadInfoSchema = z.object({
  engine: OnDeviceEngineKindSchema,
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

/** What deleting a model's files from browser storage did; every field is known only where the browser tells. */
export const DeleteReportSchema = z.object({
  /** Bytes of origin storage in use before and after, from navigator.storage.estimate(). */
  usageBefore: z.number().optional(),
  usageAfter: z.number().optional(),
  freedBytes: z.number().nonnegative().optional(),
  /** Cache entries removed, where the engine deletes entry by entry. */
  deletedEntries: z.number().int().nonnegative().optional(),
});
export type DeleteReport = z.infer<typeof DeleteReportSchema>;

/** A delete report from storage estimates taken before and after. */
export function deleteReport(before: { usage?: number | undefined } | undefined, after: { usage?: number | undefined } | undefined, deletedEntries?: number): DeleteReport {
  const b = before?.usage;
  const a = after?.usage;
  return {
    ...(b !== undefined ? { usageBefore: b } : {}),
    ...(a !== undefined ? { usageAfter: a } : {}),
    ...(b !== undefined && a !== undefined ? { freedBytes: Math.max(0, b - a) } : {}),
    ...(deletedEntries !== undefined ? { deletedEntries } : {}),
  };
}

/** A delete report as one line for a panel. */
export function deleteReportText(r: DeleteReport): string {
  const freed = r.freedBytes !== undefined ? `${(r.freedBytes / 2 ** 20).toFixed(1)} MB freed` : undefined;
  if (r.deletedEntries !== undefined) return `${r.deletedEntries} file(s) deleted${freed ? `, ${freed}` : ''}`;
  return freed ?? 'deleted';
}

/**
 * An on-device model as the app holds it on the main thread: the same
 * lifecycle whether it runs the critic or the actor, and whichever engine runs it.
 */
export interface OnDeviceEngine {
  readonly kind: OnDeviceEngineKind;
  readonly model: string;
  /** The loaded model's context window; undefined before load or when unknown. */
  readonly contextWindow: number | undefined;
  load(onProgress: ProgressListener): Promise<EngineLoadInfo>;
  /** Frees the device memory (and the worker); safe to call when nothing is loaded. */
  unload(): Promise<void>;
  /** Unloads, then deletes the model's files from browser storage. */
  deleteCache(): Promise<DeleteReport>;
}

/** Tokens of a text in some tokenizer. Synchronous: async tokenizers pre-count the pieces. */
export type TokenCounter = (text: string) => number;

/**
 * A counter that remembers the counts of texts it has seen: messages repeat in
 * every prompt of an episode. Bounded: cleared when it holds `limit` texts.
 */
export function memoCounter(count: TokenCounter, limit = 20_000): TokenCounter {
  const seen = new Map<string, number>();
  return (text) => {
    let n = seen.get(text);
    if (n === undefined) {
      if (seen.size >= limit) seen.clear();
      n = count(text);
      seen.set(text, n);
    }
    return n;
  };
}

/** What a critic generates with: an engine loaded in this thread (the worker, or web-llm's main-thread client). */
export interface CriticEngine {
  readonly kind: OnDeviceEngineKind;
  readonly model: string;
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
  /** The loaded model's own tokenizer as a counter (memoised); undefined before load. */
  tokenCounter?(): TokenCounter | undefined;
  /** Drops the cached prefix (a new episode starts). */
  resetCache(): Promise<void>;
  unload(): Promise<void>;
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
