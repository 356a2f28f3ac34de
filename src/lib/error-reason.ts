/**
 * The one place that turns any failure into words a person can act on: why
 * it failed (network, key, quota, model, window, …) and what to do. It reads
 * what the error layers already decided (ProviderError's status and
 * retryability from actor/retry.ts, SpotterError codes), and the message
 * only where a provider says no more than that (quota, context window).
 */
import { CONTEXT_OVERFLOW, ProviderError, SpotterError, errorMessage } from './errors.ts';

export type ErrorReason = 'network' | 'key' | 'quota' | 'model' | 'window' | 'server' | 'timeout' | 'setup' | 'storage' | 'engine' | 'other';

/** What is known of a failure: its message, its SpotterError code and its HTTP status when it had one. */
export interface ErrorFacts {
  message: string;
  code?: string | undefined;
  status?: number | undefined;
}

interface ErrorExplained {
  reason: ErrorReason;
  /** Why, in plain words. */
  why: string;
  /** What to do about it. */
  todo: string;
}

export function errorFacts(err: unknown): ErrorFacts {
  return {
    message: errorMessage(err),
    ...(err instanceof SpotterError ? { code: err.code } : {}),
    ...(err instanceof ProviderError && err.status !== undefined ? { status: err.status } : {}),
  };
}

const WHY: Record<ErrorReason, ErrorExplained> = {
  network: {
    reason: 'network',
    why: 'The provider could not be reached: no connection, a wrong base URL, or an endpoint that refuses calls from a browser (CORS).',
    todo: 'Check your connection and the base URL in Setup, then retry.',
  },
  key: { reason: 'key', why: 'The provider rejected the API key.', todo: 'Check the API key in Setup (a key of this provider, not revoked), then retry.' },
  quota: {
    reason: 'quota',
    why: 'The provider is limiting requests: its rate limit or your quota was reached.',
    todo: 'Wait a minute and retry, or check your plan and billing with the provider.',
  },
  model: { reason: 'model', why: 'The provider does not know this model or endpoint.', todo: 'Check the model name and the base URL in Setup.' },
  window: {
    reason: 'window',
    why: "The conversation no longer fits the model's context window.",
    todo: 'Edit your last message shorter, start a new episode, or pick a model with a longer context window.',
  },
  server: { reason: 'server', why: 'The provider failed on its side.', todo: 'Retry in a moment; if it persists, check the provider’s status page.' },
  timeout: { reason: 'timeout', why: 'The provider did not answer in time.', todo: 'Retry; a long answer or a busy provider can take longer.' },
  setup: { reason: 'setup', why: 'Something the episode needs is not set up.', todo: 'Follow the message below, then try again.' },
  storage: { reason: 'storage', why: 'This browser could not save to its storage (it may be full or disabled).', todo: 'Free space (delete old episodes in History or cached models in Privacy), then retry.' },
  engine: { reason: 'engine', why: 'The in-browser model engine failed.', todo: 'Reload the model; if it persists, try a smaller model or the other engine.' },
  other: { reason: 'other', why: 'Something unexpected went wrong.', todo: 'Retry; the details below say more.' },
};

/** A network failure while an on-device model's files download: the model host, not a provider. */
const MODEL_HOST: ErrorExplained = {
  reason: 'network',
  why: "The model's files could not be downloaded: no connection, the model host is down or unreachable, or nothing is at that model id or URL.",
  todo: 'Check your connection and the model id or URL, then load again.',
};

/**
 * How a model's download fails: transformers.js reports an unreachable host
 * as a tokenizer it could not read (its first file), or as a file it could
 * not locate; web-llm and fetch say "Failed to fetch" (browser) or
 * "fetch failed" (Node).
 */
const DOWNLOAD_FAILED = /Tokenizer of .+ could not be loaded|Could not locate file|occurred while trying to load file|Failed to fetch|fetch failed|NetworkError|ERR_CONNECTION|ERR_NAME_NOT_RESOLVED/i;

function isModelDownload(f: ErrorFacts): boolean {
  return f.code === 'load-failed' && DOWNLOAD_FAILED.test(f.message);
}

export function errorReason(f: ErrorFacts): ErrorReason {
  const m = f.message;
  if (isModelDownload(f)) return 'network';
  if (f.code === CONTEXT_OVERFLOW || /context (length|window)|maximum context|too many tokens|prompt is too long/i.test(m)) return 'window';
  if (f.code === 'aborted') return 'other';
  if (f.code === 'timeout' || /^No answer within/.test(m)) return 'timeout';
  if (f.status === 401 || f.status === 403) return 'key';
  if (f.status === 429 || /insufficient_quota|exceeded your current quota|rate limit/i.test(m)) return 'quota';
  if (f.status === 404) return 'model';
  if (f.status !== undefined && f.status >= 500) return 'server';
  if (/Could not reach the provider|Failed to fetch|NetworkError|Load failed|ECONNREFUSED|ENOTFOUND|network/i.test(m)) return 'network';
  if (f.code === 'not-loaded' || f.code === 'validation') return 'setup';
  if (f.code === 'quota' || f.code === 'storage') return 'storage';
  if (f.code === 'no-webgpu' || f.code === 'oom' || f.code === 'device-lost' || f.code === 'load-failed' || f.code === 'worker-died' || f.code === 'engine') return 'engine';
  return 'other';
}

export function explainError(f: ErrorFacts): ErrorExplained {
  return isModelDownload(f) ? MODEL_HOST : WHY[errorReason(f)];
}
