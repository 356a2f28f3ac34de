/**
 * Stands in for the browser's Cache Storage, which Node lacks: responses kept
 * as bytes by URL, per cache name. Chromium runs the real one in e2e.
 */
class CacheDouble implements Cache {
  readonly entries = new Map<string, { body: Uint8Array; headers: [string, string][]; status: number }>();

  static keyOf(request: RequestInfo | URL): string {
    return request instanceof Request ? request.url : String(request);
  }

  match(request: RequestInfo | URL): Promise<Response | undefined> {
    const e = this.entries.get(CacheDouble.keyOf(request));
    return Promise.resolve(e && new Response(e.body.slice(), { status: e.status, headers: e.headers }));
  }

  async matchAll(request?: RequestInfo | URL): Promise<readonly Response[]> {
    if (request === undefined) return Promise.all([...this.entries.keys()].map(async (k) => (await this.match(k)) ?? new Response()));
    const one = await this.match(request);
    return one ? [one] : [];
  }

  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    const body = new Uint8Array(await response.arrayBuffer());
    this.entries.set(CacheDouble.keyOf(request), { body, headers: [...response.headers], status: response.status });
  }

  delete(request: RequestInfo | URL): Promise<boolean> {
    return Promise.resolve(this.entries.delete(CacheDouble.keyOf(request)));
  }

  keys(): Promise<readonly Request[]> {
    return Promise.resolve([...this.entries.keys()].map((k) => new Request(k)));
  }

  add(): Promise<void> {
    return Promise.reject(new Error('CacheDouble.add: not used by the app (it puts what it fetched itself)'));
  }

  addAll(): Promise<void> {
    return this.add();
  }
}

export class CacheStorageDouble implements CacheStorage {
  readonly caches = new Map<string, CacheDouble>();

  open(name: string): Promise<Cache> {
    let c = this.caches.get(name);
    if (!c) {
      c = new CacheDouble();
      this.caches.set(name, c);
    }
    return Promise.resolve(c);
  }

  has(name: string): Promise<boolean> {
    return Promise.resolve(this.caches.has(name));
  }

  delete(name: string): Promise<boolean> {
    return Promise.resolve(this.caches.delete(name));
  }

  keys(): Promise<string[]> {
    return Promise.resolve([...this.caches.keys()]);
  }

  match(request: RequestInfo | URL): Promise<Response | undefined> {
    for (const c of this.caches.values()) if (c.entries.has(CacheDouble.keyOf(request))) return c.match(request);
    return Promise.resolve(undefined);
  }

  /** How many responses are stored, in all caches. */
  get size(): number {
    let n = 0;
    for (const c of this.caches.values()) n += c.entries.size;
    return n;
  }
}
