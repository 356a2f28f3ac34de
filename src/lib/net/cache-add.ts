/**
 * `Cache.add` downloads on its own, outside the global `fetch`, so a model
 * file web-llm stores with it (its default Cache Storage backend) would never
 * reach "What left this browser". This routes `add` and `addAll` through
 * `fetchFn` (the worker's recording fetch), keeping their contract: a non-2xx
 * answer rejects with a TypeError and stores nothing.
 */
type CacheLike = Pick<Cache, 'add' | 'addAll' | 'put'>;

export function routeCacheAddThrough(fetchFn: typeof fetch, proto: CacheLike): void {
  async function add(this: CacheLike, request: RequestInfo | URL): Promise<void> {
    const response = await fetchFn(request);
    if (!response.ok) throw new TypeError(`Cache.add: HTTP ${response.status} for ${request instanceof Request ? request.url : String(request)}`);
    await this.put(request, response);
  }
  proto.add = add;
  proto.addAll = async function (this: CacheLike, requests: Iterable<RequestInfo>): Promise<void> {
    for (const r of requests) await add.call(this, r);
  };
}
