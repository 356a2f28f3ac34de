/**
 * One base error with a stable `code`; subclasses carry structured fields.
 * Errors crossing a worker boundary travel as { name, code, message } and are
 * rebuilt with `errorFromWire`.
 */
import { z } from 'zod';

export class SpotterError extends Error {
  override name = 'SpotterError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  toWire(): WireError {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** An error as it crosses a worker boundary (validated where it enters). */
export const WireErrorSchema = z.object({ name: z.string(), code: z.string(), message: z.string() });
export type WireError = z.infer<typeof WireErrorSchema>;

/** The provider answered with an error or could not be reached; `status` is the HTTP status when there was one. */
export class ProviderError extends SpotterError {
  override name = 'ProviderError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super('provider', message, options);
  }
}

export class TimeoutError extends SpotterError {
  override name = 'TimeoutError';
  constructor(readonly ms: number) {
    super('timeout', `No answer within ${Math.round(ms / 1000)} s`);
  }
}

export class AbortedError extends SpotterError {
  override name = 'AbortedError';
  constructor() {
    super('aborted', 'Stopped');
  }
}

/** Model output that does not fit the expected shape (tool call JSON, verdict JSON). */
export class MalformedOutputError extends SpotterError {
  override name = 'MalformedOutputError';
  constructor(
    message: string,
    readonly raw: string,
  ) {
    super('malformed-output', message);
  }
}

/** Invalid data from a file, a pack, an import or storage; `where` names the file/line/field. */
export class ValidationError extends SpotterError {
  override name = 'ValidationError';
  constructor(
    readonly where: string,
    message: string,
  ) {
    super('validation', `${where}: ${message}`);
  }
}

export class StorageError extends SpotterError {
  override name = 'StorageError';
  constructor(
    message: string,
    readonly quotaExceeded: boolean,
    options?: { cause?: unknown },
  ) {
    super(quotaExceeded ? 'quota' : 'storage', message, options);
  }
}

export class EngineError extends SpotterError {
  override name = 'EngineError';
  constructor(code: 'no-webgpu' | 'oom' | 'device-lost' | 'load-failed' | 'worker-died' | 'engine', message: string) {
    super(code, message);
  }
}

/**
 * The critic prompt does not fit the critic's context window even after the
 * prompt budget shortened it (or the engine itself refused it, as web-llm's
 * ContextWindowSizeExceededError). The loop records it as a verdict error with
 * this code, so it is never silent.
 */
export class ContextOverflowError extends SpotterError {
  override name = 'ContextOverflowError';
  constructor(message: string) {
    super(CONTEXT_OVERFLOW, message);
  }
  static of(promptTokens: number, contextWindow: number): ContextOverflowError {
    return new ContextOverflowError(`The critic prompt needs ${promptTokens} tokens; the critic's context window holds ${contextWindow}`);
  }
}
export const CONTEXT_OVERFLOW = 'context-overflow';

export function isAbort(err: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  if (err instanceof AbortedError) return true;
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'APIUserAbortError');
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function errorFromWire(w: WireError): SpotterError {
  switch (w.code) {
    case 'no-webgpu':
    case 'oom':
    case 'device-lost':
    case 'load-failed':
    case 'worker-died':
    case 'engine':
      return new EngineError(w.code, w.message);
    case 'aborted':
      return new AbortedError();
    case CONTEXT_OVERFLOW:
      return new ContextOverflowError(w.message);
    case 'validation': {
      // The message is `${where}: ${detail}` (ValidationError's own form).
      const at = w.message.indexOf(': ');
      return at > 0 ? new ValidationError(w.message.slice(0, at), w.message.slice(at + 2)) : new ValidationError('(unknown)', w.message);
    }
    default: {
      const e = new SpotterError(w.code, w.message);
      e.name = w.name;
      return e;
    }
  }
}

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

/**
 * The answer a worker posts to a message that failed its schema: an error
 * response under the message's own id when it has one, so the caller's
 * pending call rejects instead of hanging.
 */
export function badRequestResponse(data: unknown, error: z.ZodError): { id: string; type: 'error'; error: WireError } {
  const raw: unknown = typeof data === 'object' && data !== null ? Reflect.get(data, 'id') : undefined;
  const issue = error.issues[0];
  return {
    id: typeof raw === 'string' && raw ? raw : 'unknown',
    type: 'error',
    error: { name: 'ValidationError', code: 'validation', message: `Bad request: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}` },
  };
}
