import { AbortedError, MalformedOutputError, ProviderError, TimeoutError } from '../errors.ts';
import { redactSecrets } from '../secrets.ts';

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-call limit; a call past it is aborted and counts as a retryable failure. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 1000, maxDelayMs: 30_000, timeoutMs: 120_000 };

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AbortedError());
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new AbortedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** HTTP status and Retry-After of an SDK error, read defensively (both SDKs share this shape). */
function statusOf(err: unknown): { status?: number; retryAfterMs?: number } {
  if (typeof err !== 'object' || err === null) return {};
  const status = 'status' in err && typeof err.status === 'number' ? err.status : undefined;
  let retryAfterMs: number | undefined;
  const headers = 'headers' in err ? err.headers : undefined;
  if (headers instanceof Headers) {
    const v = headers.get('retry-after');
    const secs = v === null ? NaN : Number(v);
    if (Number.isFinite(secs)) retryAfterMs = secs * 1000;
  }
  return { status, retryAfterMs };
}

/**
 * Maps any failure of a provider call to a ProviderError that says whether a
 * retry may help. This is where SDK errors enter the app, so the message is
 * scrubbed of `secrets` here (providers echo keys in 401s), and the SDK's own
 * error, which still holds the echo, is not kept as the cause.
 */
export function classify(err: unknown, secrets: readonly string[] = []): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof MalformedOutputError) return new ProviderError(redactSecrets(err.message, secrets), undefined, true);
  const { status } = statusOf(err);
  const message = redactSecrets(err instanceof Error ? err.message : String(err), secrets);
  if (status !== undefined) {
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    const hint =
      status === 401 || status === 403
        ? 'The provider rejected the API key.'
        : status === 404
          ? 'Model or endpoint not found: check the base URL and model name.'
          : status === 429
            ? 'Rate limited by the provider.'
            : '';
    // The SDKs start their message with the status ("401 Incorrect API key…"): say it once.
    const detail = message.replace(new RegExp(`^${status}\\s+`), '');
    return new ProviderError(`${hint ? hint + ' ' : ''}HTTP ${status}: ${detail}`, status, retryable);
  }
  // No status: a network failure, a cut stream, or an unexpected reply shape; all worth a retry.
  return new ProviderError(
    `Could not reach the provider (${message}). Check the base URL and your connection; the endpoint must also allow calls from a browser (CORS).`,
    undefined,
    true,
  );
}

export interface AttemptInfo {
  attempt: number;
  error: ProviderError;
  delayMs: number;
}

/**
 * Runs `call` with a per-call timeout and retries with exponential backoff and
 * jitter on 429/5xx, network errors and malformed replies; honours Retry-After.
 * Aborting `signal` stops at once with AbortedError. Errors come out scrubbed
 * of `secrets` (the client's key).
 */
export async function withRetry<T>(
  call: (signal: AbortSignal) => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
  onRetry?: (info: AttemptInfo) => void,
  secrets: readonly string[] = [],
  random: () => number = Math.random,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (signal.aborted) throw new AbortedError();
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    try {
      return await call(AbortSignal.any([signal, timeout]));
    } catch (err) {
      if (signal.aborted) throw new AbortedError();
      const error = timeout.aborted
        ? new ProviderError(new TimeoutError(policy.timeoutMs).message, undefined, true)
        : classify(err, secrets);
      if (!error.retryable || attempt >= policy.retries) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      const retryAfter = statusOf(err).retryAfterMs;
      const delayMs = Math.min(policy.maxDelayMs, retryAfter ?? backoff * (0.5 + random() / 2));
      onRetry?.({ attempt, error, delayMs });
      await sleep(delayMs, signal);
    }
  }
}

/** One provider reply: `once` under the client's retry policy (default DEFAULT_RETRY), timed over all its attempts. */
export async function timedWithRetry<T extends object>(
  once: (signal: AbortSignal) => Promise<T>,
  opts: { retry?: RetryPolicy; onRetry?: (info: AttemptInfo) => void },
  signal: AbortSignal,
  apiKey: string,
): Promise<T & { latencyMs: number }> {
  const started = performance.now();
  const result = await withRetry(once, opts.retry ?? DEFAULT_RETRY, signal, opts.onRetry, [apiKey]);
  return { ...result, latencyMs: performance.now() - started };
}
