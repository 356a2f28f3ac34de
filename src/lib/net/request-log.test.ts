import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestLog, credentialCarriers } from './request-log.ts';

let server: Server;
let origin: string;
const BIG = 'x'.repeat(300_000);

beforeAll(async () => {
  server = createServer((req, res) => {
    let n = 0;
    req.on('data', (c: Buffer) => (n += c.length));
    req.on('end', () => {
      if (req.url?.startsWith('/big')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        // Several chunks: the count must cover a streamed body.
        for (let i = 0; i < 3; i++) res.write(BIG.slice(i * 100_000, (i + 1) * 100_000));
        res.end();
      } else res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ got: n }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('RequestLog', () => {
  it('records method, host, path, purpose, bytes both ways and where a key was, never the key or the query', async () => {
    const log = new RequestLog();
    const f = log.fetchFor('actor');
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'héllo' }] });
    const res = await f(`${origin}/v1/chat/completions?api_key=SECRET-QUERY`, { method: 'POST', body, headers: { Authorization: 'Bearer sk-SECRET-HEADER' } });
    expect(await res.json()).toEqual({ got: new TextEncoder().encode(body).length });
    const [r] = log.records;
    expect(r).toMatchObject({
      method: 'POST',
      host: new URL(origin).host,
      path: '/v1/chat/completions',
      purpose: 'actor',
      bytesSent: new TextEncoder().encode(body).length,
      status: 200,
      state: 'done',
      keyIn: ['authorization', '?api_key'],
    });
    expect(r?.bytesReceived).toBe(JSON.stringify({ got: r?.bytesSent }).length);
    expect(JSON.stringify(log.records)).not.toMatch(/SECRET/);
  });

  it('counts a streamed body as it is read, and marks HTTP errors and network failures', async () => {
    const log = new RequestLog();
    const seen: number[] = [];
    log.subscribe((rs) => seen.push(rs.length));
    const f = log.fetchFor('model download');
    expect((await (await f(`${origin}/big`)).text()).length).toBe(BIG.length);
    expect(log.records[0]).toMatchObject({ bytesReceived: BIG.length, state: 'done', bytesSent: 0, keyIn: [] });
    await (await f(`${origin}/missing`)).text();
    expect(log.records[1]).toMatchObject({ status: 404, state: 'done' });
    await expect(f('http://127.0.0.1:1/nothing')).rejects.toThrow();
    expect(log.records[2]).toMatchObject({ state: 'failed', path: '/nothing' });
    expect(seen.at(-1)).toBe(3);
  });

  it('passes a streamed request body through untouched, and reads method and headers from a Request', async () => {
    const log = new RequestLog();
    const f = log.fetchFor('pack');
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('abc'));
        c.close();
      },
    });
    const res = await f(`${origin}/echo`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(await res.json()).toEqual({ got: 3 });
    await (await f(new Request(`${origin}/x`, { method: 'PUT', body: 'hi', headers: { 'x-api-key': 'k' } }))).text();
    expect(log.records[1]).toMatchObject({ method: 'PUT', keyIn: ['x-api-key'] });
  });

  it('takes records from a worker only when they are well formed', () => {
    const log = new RequestLog();
    log.add({ nonsense: true });
    log.add({ id: 'w1', time: 1, method: 'GET', url: 'https://h/m', host: 'h', path: '/m', purpose: 'model download', bytesSent: 0, bytesReceived: 5, keyIn: [], state: 'pending' });
    log.add({ id: 'w1', time: 1, method: 'GET', url: 'https://h/m', host: 'h', path: '/m', purpose: 'model download', bytesSent: 0, bytesReceived: 9, keyIn: [], state: 'done' });
    expect(log.records).toHaveLength(1);
    expect(log.records[0]?.bytesReceived).toBe(9);
  });

  it('finds the credential headers the providers use', () => {
    const h = new Headers({ 'x-api-key': 'a', 'anthropic-version': '1' });
    expect(credentialCarriers(new URL('https://api.anthropic.com/v1/messages'), h)).toEqual(['x-api-key']);
  });
});
