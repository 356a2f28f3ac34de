import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderServerDouble } from '../../../tests/doubles/provider-server-double.ts';
import { OpenAICompatibleActor } from '../actor/openai.ts';
import type { ProviderConfig } from '../actor/provider.ts';
import type { AttemptInfo } from '../actor/retry.ts';
import { AbortedError } from '../errors.ts';
import { rateLimitedFetch, RateLimiter, type Clock } from './rate-limit.ts';

/**
 * A clock of its own: a sleep ends at its exact time on this clock, after a twentieth of it in real time (so
 * sleepers still wake in order), and a loaded machine cannot blur what the test reads.
 */
function fakeClock(): Clock & { t: number } {
  const c = {
    t: 0,
    now: () => c.t,
    sleep: (ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(new AbortedError());
        const end = c.t + ms;
        setTimeout(() => {
          c.t = Math.max(c.t, end);
          resolve();
        }, ms / 20);
      }),
  };
  return c;
}

describe('RateLimiter', () => {
  it('spaces starts 60,000 / rpm ms apart, in call order, with no wait while under the rate', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(120, clock);
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await limiter.acquire();
      starts.push(clock.t);
    }
    expect(starts).toEqual([0, 500, 1000, 1500]);
    clock.t = 10_000; // idle for a while: the next one goes at once
    await limiter.acquire();
    expect(clock.t).toBe(10_000);
    expect(() => new RateLimiter(0)).toThrow(RangeError);
  });

  it('an aborted wait rejects', async () => {
    const limiter = new RateLimiter(1);
    await limiter.acquire();
    const ctl = new AbortController();
    const waiting = limiter.acquire(ctl.signal);
    ctl.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortedError);
  });
});

const server = new ProviderServerDouble();
beforeAll(() => server.start());
afterAll(() => server.stop());

describe('rateLimitedFetch under the real SDK path', () => {
  const cfg = (): ProviderConfig => ({ kind: 'openai-compatible', baseUrl: `${server.url}/v1`, model: 'limited', apiKey: 'sk-rate-test-0000', temperature: 0, maxTokens: 64, stream: false });

  it('keeps requests to a host at most rpm a minute, retries included, and still honours Retry-After', async () => {
    // 600 a minute: 100 ms apart, on a clock of its own (a loaded machine cannot blur it). The second reply is a
    // 429 asking for 1 s, which the retry layer waits in real time.
    server.script('limited', { kind: 'message', content: 'a' }, { kind: 'status', status: 429, retryAfterS: 1 }, { kind: 'message', content: 'b' }, { kind: 'message', content: 'c' });
    const clock = fakeClock();
    const sent: Array<{ at: number; real: number }> = [];
    const fetch = rateLimitedFetch((input, init) => (sent.push({ at: clock.now(), real: performance.now() }), globalThis.fetch(input, init)), 600, clock);
    const retries: AttemptInfo[] = [];
    const actor = new OpenAICompatibleActor(cfg(), { fetch, retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 5_000, timeoutMs: 5_000 }, onRetry: (i) => retries.push(i) });
    const req = { system: 's', messages: [{ role: 'user' as const, content: 'hi' }], tools: [] };
    const signal = new AbortController().signal;
    const replies = await Promise.all([actor.propose(req, signal), actor.propose(req, signal), actor.propose(req, signal)]);
    expect(replies.map((r) => r.action)).toEqual(expect.arrayContaining([{ kind: 'message', content: 'a' }, { kind: 'message', content: 'b' }, { kind: 'message', content: 'c' }]));
    expect(server.requests.filter((r) => r.model === 'limited')).toHaveLength(4);
    // Every request, the retry too, took its turn 100 ms after the one before.
    expect(sent.map((s) => s.at)).toEqual([0, 100, 200, 300]);
    // The 429's Retry-After decided the retry's delay: 1 s, not the 5 ms backoff, and the retry went a second later.
    expect(retries.map((r) => [r.error.status, r.delayMs])).toEqual([[429, 1000]]);
    expect((sent[3]?.real ?? 0) - (sent[1]?.real ?? 0)).toBeGreaterThanOrEqual(990);
  });
});
