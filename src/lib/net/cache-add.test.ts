import { describe, expect, it } from 'vitest';
import { routeCacheAddThrough } from './cache-add.ts';
import { RequestLog } from './request-log.ts';

/** A Cache stand-in holding what `put` stored (Node has no Cache Storage). */
class CacheDouble {
  stored = new Map<string, string>();
  add(_request: RequestInfo | URL): Promise<void> {
    return Promise.reject(new Error('the unpatched add must not run'));
  }
  addAll(_requests: Iterable<RequestInfo>): Promise<void> {
    return Promise.reject(new Error('the unpatched addAll must not run'));
  }
  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    this.stored.set(request instanceof Request ? request.url : String(request), await response.text());
  }
}

const files: Record<string, [number, string]> = {
  'https://models.example/w/params_shard_0.bin': [200, 'weights'],
  'https://models.example/w/tokenizer.json': [200, '{}'],
  'https://models.example/w/missing.bin': [404, 'not found'],
};
const origin: typeof fetch = async (input) => {
  const url = input instanceof Request ? input.url : String(input);
  const [status, body] = files[url] ?? [500, ''];
  return new Response(body, { status });
};

describe('routeCacheAddThrough', () => {
  it('downloads through the recording fetch, so each file shows in the request log, and stores it', async () => {
    const log = new RequestLog(origin);
    const cache = new CacheDouble();
    routeCacheAddThrough(log.fetchFor('model download'), cache);
    await cache.add(new Request('https://models.example/w/params_shard_0.bin'));
    await cache.addAll(['https://models.example/w/tokenizer.json']);
    expect([...cache.stored.keys()]).toEqual(['https://models.example/w/params_shard_0.bin', 'https://models.example/w/tokenizer.json']);
    expect(cache.stored.get('https://models.example/w/params_shard_0.bin')).toBe('weights');
    expect(log.records.map((r) => [r.purpose, r.host, r.path])).toEqual([
      ['model download', 'models.example', '/w/params_shard_0.bin'],
      ['model download', 'models.example', '/w/tokenizer.json'],
    ]);
  });

  it('rejects a non-2xx answer with a TypeError and stores nothing, as Cache.add does', async () => {
    const cache = new CacheDouble();
    routeCacheAddThrough(origin, cache);
    await expect(cache.add('https://models.example/w/missing.bin')).rejects.toThrow(TypeError);
    expect(cache.stored.size).toBe(0);
  });
});
