/**
 * A client-side request-rate limit (`--max-rpm`): requests to one provider
 * host start at least 60 000 / rpm ms apart. It wraps `fetch`, below the
 * retry layer (actor/retry.ts), so every attempt counts, as the provider
 * counts it, and a 429's Retry-After still decides when the retry is sent
 * (the retry then also waits for its turn here). Shards share nothing: each
 * process gets its own limit (docs/sweeps.md says how to divide one).
 */
import { sleep } from '../actor/retry.ts';

export interface Clock {
  now(): number;
  /** Rejects with AbortedError when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

const REAL_CLOCK: Clock = { now: () => Date.now(), sleep };

/** For waits nobody can abort. */
const NEVER = new AbortController().signal;

/** Start times at most `rpm` a minute, evenly spaced, first come first served. */
export class RateLimiter {
  readonly intervalMs: number;
  #next = 0;

  constructor(
    readonly rpm: number,
    private readonly clock: Clock = REAL_CLOCK,
  ) {
    if (!(rpm > 0) || !Number.isFinite(rpm)) throw new RangeError(`requests per minute must be a positive number, not ${rpm}`);
    this.intervalMs = 60_000 / rpm;
  }

  /** Resolves when the caller may send; its slot is reserved at once, so callers queue in call order. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const at = Math.max(now, this.#next);
    this.#next = at + this.intervalMs;
    if (at > now) await this.clock.sleep(at - now, signal ?? NEVER);
  }
}

/** The host a request goes to: the limit is per provider host. */
function hostOf(input: Parameters<typeof fetch>[0]): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** `inner` with each host's requests limited to `rpm` a minute. */
export function rateLimitedFetch(inner: typeof fetch, rpm: number, clock: Clock = REAL_CLOCK): typeof fetch {
  const limiters = new Map<string, RateLimiter>();
  return async (input, init) => {
    const host = hostOf(input);
    let limiter = limiters.get(host);
    if (!limiter) limiters.set(host, (limiter = new RateLimiter(rpm, clock)));
    await limiter.acquire(init?.signal ?? undefined);
    return inner(input, init);
  };
}
