/**
 * Loading tau-bench's GPT-4o airline results file at run time, against a local
 * HTTP server that serves the real file from ../shared (whole, cut off, short,
 * or changed in one byte), through the request log, into a Cache Storage
 * stand-in (Node has none).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheStorageDouble } from '../../../../tests/doubles/cache-storage-double.ts';
import { ValidationError } from '../../errors.ts';
import { RequestLog } from '../../net/request-log.ts';
import type { TransferStatus } from '../../net/transfer-rate.ts';
import { HISTORICAL_CACHE, HISTORICAL_FILE, defaultHistoricalOrigins, loadHistoricalFile } from './historical.ts';
import { TAU_BENCH_RAW_BASE } from './upstream.ts';

const REAL = readFileSync(resolve('..', 'shared', 'tau-bench', HISTORICAL_FILE.packPath));
const CHANGED = Buffer.from(REAL);
CHANGED[1000] = (CHANGED[1000] ?? 0) ^ 1;

let server: Server;
let base = '';
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    hits.push(url);
    const [, kind] = url.split('/');
    if (!url.endsWith('/gpt-4o-airline.json')) {
      res.writeHead(404).end('not found');
    } else if (kind === 'good' || kind === 'upstream') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': REAL.length }).end(REAL);
    } else if (kind === 'cut') {
      // Announces the whole file, sends a third, then drops the connection.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': REAL.length });
      res.write(REAL.subarray(0, Math.floor(REAL.length / 3)), () => res.destroy());
    } else if (kind === 'short') {
      const half = REAL.subarray(0, Math.floor(REAL.length / 2));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': half.length }).end(half);
    } else if (kind === 'changed') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(CHANGED);
    } else res.writeHead(404).end('not found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

/** The pinned upstream URL answered by the local server's /upstream/ route; every URL asked for is kept. */
function upstreamFetch(asked: string[], inner: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    asked.push(url);
    return inner(url.replace(TAU_BENCH_RAW_BASE, `${base}/upstream/`), init);
  };
}

const bundled = (kind: string) => ({ kind: 'bundled' as const, packBaseUrl: `${base}/${kind}/tau-bench/` });

describe('loadHistoricalFile', () => {
  it('downloads the bundled copy with byte progress up to its size, logged as a pack request, then serves it from the cache with no request', async () => {
    const storage = new CacheStorageDouble();
    const log = new RequestLog();
    const progress: TransferStatus[] = [];
    hits.length = 0;
    const first = await loadHistoricalFile([bundled('good')], { storage, fetchFn: log.fetchFor('pack'), onProgress: (s) => progress.push(s) });
    expect(first.text).toBe(REAL.toString('utf8'));
    expect(first.from).toBe(`${base}/good/tau-bench/historical/gpt-4o-airline.json`);
    expect(hits).toEqual(['/good/tau-bench/historical/gpt-4o-airline.json']);
    // Progress: several reports, never going back, ending at the whole file.
    expect(progress.length).toBeGreaterThan(3);
    for (let i = 1; i < progress.length; i++) expect(progress[i]?.loaded ?? 0).toBeGreaterThanOrEqual(progress[i - 1]?.loaded ?? 0);
    expect(progress.every((p) => p.total === HISTORICAL_FILE.bytes)).toBe(true);
    expect(progress.at(-1)?.loaded).toBe(HISTORICAL_FILE.bytes);
    // The request log saw it, as a pack download of the whole file.
    expect(log.records).toHaveLength(1);
    expect(log.records[0]).toMatchObject({ purpose: 'pack', state: 'done', status: 200, bytesReceived: HISTORICAL_FILE.bytes, host: new URL(base).host });
    expect(await storage.keys()).toEqual([HISTORICAL_CACHE]);
    expect(storage.size).toBe(1);

    // Offline afterwards: the same call answers from the cache, and asks nothing of any origin.
    const again: TransferStatus[] = [];
    const second = await loadHistoricalFile(defaultHistoricalOrigins(`${base}/good/tau-bench/`), {
      storage,
      fetchFn: log.fetchFor('pack'),
      onProgress: (s) => again.push(s),
    });
    expect(second).toEqual({ text: first.text, from: 'cache' });
    expect(hits).toHaveLength(1);
    expect(log.records).toHaveLength(1);
    expect(again.at(-1)).toMatchObject({ loaded: HISTORICAL_FILE.bytes, total: HISTORICAL_FILE.bytes });
  });

  it('a download cut off mid-way is a clear error naming where and how far it got, and nothing is cached', async () => {
    const storage = new CacheStorageDouble();
    const err = await loadHistoricalFile([bundled('cut')], { storage }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const message = String(err);
    expect(message).toContain(`gpt-4o-airline.json: cannot load tau-bench's gpt-4o-airline.json at 59a200c: ${base}/cut/tau-bench/historical/gpt-4o-airline.json:`);
    expect(message).toMatch(new RegExp(`the download broke off after \\d+ bytes of ${HISTORICAL_FILE.bytes}`));
    expect(storage.size).toBe(0);
  });

  it('a short or changed file is refused (size, then SHA-256), each origin named, nothing cached; the next origin is tried', async () => {
    const storage = new CacheStorageDouble();
    const err = await loadHistoricalFile([bundled('short'), bundled('changed'), bundled('missing')], { storage }).catch((e: unknown) => e);
    const message = String(err);
    expect(message).toContain(`${base}/short/tau-bench/historical/gpt-4o-airline.json: only ${Math.floor(REAL.length / 2)} bytes of ${HISTORICAL_FILE.bytes} arrived`);
    expect(message).toContain(`${base}/changed/tau-bench/historical/gpt-4o-airline.json: SHA-256 `);
    expect(message).toContain(`is not the pinned file's ${HISTORICAL_FILE.sha256}`);
    expect(message).toContain(`${base}/missing/tau-bench/historical/gpt-4o-airline.json: HTTP 404`);
    expect(storage.size).toBe(0);

    // A bad bundled copy falls back to upstream, which is then cached.
    const ok = await loadHistoricalFile([bundled('changed'), { kind: 'upstream' }], { storage, fetchFn: upstreamFetch([]) });
    expect(ok.from).toBe(`${TAU_BENCH_RAW_BASE}historical_trajectories/gpt-4o-airline.json`);
    expect(ok.text.length).toBe(REAL.toString('utf8').length);
    expect(storage.size).toBe(1);
  });

  it('the default origins: the bundled pack first, then raw GitHub at the full pinned commit', async () => {
    const asked: string[] = [];
    const r = await loadHistoricalFile(defaultHistoricalOrigins(`${base}/nopack/tau-bench/`), { storage: new CacheStorageDouble(), fetchFn: upstreamFetch(asked) });
    expect(asked).toEqual([
      `${base}/nopack/tau-bench/historical/gpt-4o-airline.json`,
      'https://raw.githubusercontent.com/sierra-research/tau-bench/59a200c6d575d595120f1cb70fea53cef0632f6b/historical_trajectories/gpt-4o-airline.json',
    ]);
    expect(r.text).toBe(REAL.toString('utf8'));
  });

  it('reads a file the user opened, alone or inside a folder, with progress; a different file is refused', async () => {
    const progress: TransferStatus[] = [];
    // Inside an opened upstream checkout (Node's File has no webkitRelativePath: set it as the browser would).
    const file = new File([REAL], 'gpt-4o-airline.json', { type: 'application/json' });
    Object.defineProperty(file, 'webkitRelativePath', { value: 'tau-bench/historical_trajectories/gpt-4o-airline.json' });
    const r = await loadHistoricalFile([{ kind: 'files', files: [new File(['{}'], 'other.json'), file] }], {
      storage: new CacheStorageDouble(),
      onProgress: (s) => progress.push(s),
    });
    expect(r.text).toBe(REAL.toString('utf8'));
    expect(r.from).toBe('2 opened files (gpt-4o-airline.json)');
    expect(progress.at(-1)).toMatchObject({ loaded: HISTORICAL_FILE.bytes, total: HISTORICAL_FILE.bytes });

    const storage = new CacheStorageDouble();
    const wrong = await loadHistoricalFile([{ kind: 'files', files: [new File([CHANGED], 'gpt-4o-airline.json')] }], { storage }).catch((e: unknown) => String(e));
    expect(wrong).toContain('1 opened files (gpt-4o-airline.json): SHA-256');
    const none = await loadHistoricalFile([{ kind: 'files', files: [] }], { storage }).catch((e: unknown) => String(e));
    expect(none).toContain('0 opened files (gpt-4o-airline.json): missing file');
    expect(storage.size).toBe(0);
  });

  it('without Web Crypto (plain http) the size is still checked, the content is not', async () => {
    const storage = new CacheStorageDouble();
    const changed = await loadHistoricalFile([bundled('changed')], { storage, subtle: undefined });
    expect(changed.text).not.toBe(REAL.toString('utf8'));
    expect(changed.text).toHaveLength(REAL.toString('utf8').length);
    await expect(loadHistoricalFile([bundled('short')], { storage: new CacheStorageDouble(), subtle: undefined })).rejects.toThrow(/only \d+ bytes of 4114038 arrived/);
  });

  it('under Node without Cache Storage it passes through (no cache)', async () => {
    hits.length = 0;
    await loadHistoricalFile([bundled('good')], { storage: undefined });
    await loadHistoricalFile([bundled('good')], { storage: undefined });
    expect(hits).toHaveLength(2);
  });
});
