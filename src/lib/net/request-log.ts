/**
 * "What left this browser": every request the app makes goes through a fetch
 * made by `RequestLog.fetchFor(purpose)` (the SDKs' `fetch` option, the model
 * engines' fetch, the pack loaders), which records its time, host, path,
 * purpose, bytes each way and whether it carried a key. The key itself is
 * never recorded: only the names of the headers that held one.
 */
import { z } from 'zod';

export const PURPOSES = ['actor', 'critic', 'simulated user', 'model download', 'pack', 'episodes'] as const;
const PurposeSchema = z.enum(PURPOSES);
export type Purpose = z.infer<typeof PurposeSchema>;

const RequestRecordSchema = z.object({
  id: z.string(),
  /** ms since the epoch, when the request started. */
  time: z.number(),
  method: z.string(),
  /** The full URL without its query string (a query may hold a key). */
  url: z.string(),
  host: z.string(),
  path: z.string(),
  purpose: PurposeSchema,
  bytesSent: z.number().nonnegative(),
  bytesReceived: z.number().nonnegative(),
  status: z.number().optional(),
  /** Names of the headers or query parameters that carried a credential, e.g. ["authorization"]; never their values. */
  keyIn: z.array(z.string()),
  state: z.enum(['pending', 'done', 'failed']),
  error: z.string().optional(),
});
export type RequestRecord = z.infer<typeof RequestRecordSchema>;

const KEY_HEADERS = ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'proxy-authorization'];
const KEY_PARAMS = ['key', 'api_key', 'apikey', 'access_token', 'token'];

/** Where a request carried a credential: header and query parameter names, never values. */
export function credentialCarriers(url: URL, headers: Headers): string[] {
  const found = KEY_HEADERS.filter((h) => headers.has(h));
  for (const p of KEY_PARAMS) if (url.searchParams.has(p)) found.push(`?${p}`);
  return found;
}

/** Bytes of a request body, as far as it can be known without reading a stream. */
function bodySize(body: BodyInit | null | undefined): number {
  if (body === null || body === undefined) return 0;
  if (typeof body === 'string') return new TextEncoder().encode(body).length;
  if (body instanceof Blob) return body.size;
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  if (body instanceof URLSearchParams) return new TextEncoder().encode(body.toString()).length;
  return 0;
}

type Listener = (records: readonly RequestRecord[]) => void;

export class RequestLog {
  #records: RequestRecord[] = [];
  #listeners = new Set<Listener>();
  #next = 0;

  constructor(
    private readonly base: typeof fetch = (...a) => globalThis.fetch(...a),
    private readonly now: () => number = () => Date.now(),
  ) {}

  get records(): readonly RequestRecord[] {
    return this.#records;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    listener(this.#records);
    return () => this.#listeners.delete(listener);
  }

  /** Adds a record made elsewhere (a model worker), validated where it enters. */
  add(record: unknown): void {
    const r = RequestRecordSchema.safeParse(record);
    if (!r.success) return;
    const at = this.#records.findIndex((x) => x.id === r.data.id);
    if (at >= 0) this.#records[at] = r.data;
    else this.#records.push(r.data);
    this.#emit();
  }

  clear(): void {
    this.#records = [];
    this.#emit();
  }

  /** A fetch that records every request it makes under `purpose`, then hands each update to `onRecord` too. */
  fetchFor(purpose: Purpose, onRecord?: (r: RequestRecord) => void): typeof fetch {
    return async (input, init) => {
      // Read the request's parts without building a Request: that would take (lock) a streamed body.
      const asRequest = input instanceof Request ? input : undefined;
      const url = new URL(asRequest ? asRequest.url : String(input), globalThis.location?.href);
      const method = (init?.method ?? asRequest?.method ?? 'GET').toUpperCase();
      const headers = new Headers(init?.headers ?? asRequest?.headers);
      const bytesSent = init?.body !== undefined ? bodySize(init.body) : Number(asRequest?.headers.get('content-length') ?? 0);
      const record: RequestRecord = {
        id: `${this.now()}-${this.#next++}-${Math.random().toString(36).slice(2, 8)}`,
        time: this.now(),
        method,
        url: `${url.origin}${url.pathname}`,
        host: url.host,
        path: url.pathname,
        purpose,
        bytesSent,
        bytesReceived: 0,
        keyIn: credentialCarriers(url, headers),
        state: 'pending',
      };
      const update = (patch: Partial<RequestRecord>) => {
        Object.assign(record, patch);
        this.#upsert(record);
        onRecord?.({ ...record });
      };
      update({});
      let response: Response;
      try {
        response = await this.base(input, init);
      } catch (err) {
        update({ state: 'failed', error: err instanceof Error ? err.name : 'failed' });
        throw err;
      }
      update({ status: response.status });
      if (!response.body) {
        update({ state: 'done' });
        return response;
      }
      // Count what arrives as the caller reads it (streams stay streams); show progress a few times a second.
      let shown = this.now();
      const counted = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform: (chunk, ctl) => {
            record.bytesReceived += chunk.byteLength;
            ctl.enqueue(chunk);
            if (this.now() - shown > 250) {
              shown = this.now();
              update({});
            }
          },
          flush: () => update({ state: 'done' }),
        }),
      );
      const copy = new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
      // Keep what callers read from the original: its final URL and type.
      Object.defineProperty(copy, 'url', { value: response.url });
      return copy;
    };
  }

  #upsert(record: RequestRecord): void {
    const at = this.#records.findIndex((x) => x.id === record.id);
    if (at >= 0) this.#records[at] = { ...record };
    else this.#records.push({ ...record });
    this.#emit();
  }

  #emit(): void {
    for (const l of this.#listeners) l(this.#records);
  }
}
