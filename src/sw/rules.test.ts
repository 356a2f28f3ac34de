import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeRules, storable, type RequestFacts } from './rules.ts';

const SCOPE = 'https://example.github.io/spotter/';
const rules = scopeRules(SCOPE);

/** A request as the worker sees it (a navigation Request cannot be constructed outside a browser). */
function req(url: string, init: { method?: string; mode?: RequestMode; headers?: Record<string, string> } = {}): RequestFacts {
  return { url: new URL(url, SCOPE).href, method: init.method ?? 'GET', mode: init.mode ?? 'cors', headers: new Headers(init.headers) };
}

describe('service worker rules under a sub-path scope', () => {
  it('stores one shell for every in-app URL, at the scope', () => {
    expect(rules.shellKey).toBe(SCOPE);
    expect(rules.route(req('?tab=history', { mode: 'navigate' }))).toBe('navigation');
  });

  it('serves hashed assets, onnxruntime and model files cache-first, the rest of the app network-first', () => {
    expect(rules.route(req('assets/index-c41x51T5.js'))).toBe('cache-first');
    expect(rules.route(req('ort/ort-wasm.wasm'))).toBe('cache-first');
    expect(rules.route(req('models/tiny-critic/onnx/model.onnx'))).toBe('cache-first');
    expect(rules.route(req('manifest.webmanifest'))).toBe('network-first');
    expect(rules.route(req('tau-bench/retail/tasks_test.json'))).toBe('network-first');
    // Only under the scope's own folders: /assets/ of another app on the same origin is not immutable here.
    expect(rules.route(req('/assets/x.js'))).toBe('network-first');
  });

  it('never touches provider requests, API paths, writes, credentials or range requests', () => {
    expect(rules.route(req('https://api.openai.com/v1/chat/completions', { method: 'POST' }))).toBeUndefined();
    expect(rules.route(req('https://huggingface.co/org/model/resolve/main/config.json'))).toBeUndefined();
    expect(rules.route(req('v1/chat/completions'))).toBeUndefined();
    expect(rules.route(req('api/anything'))).toBeUndefined();
    expect(rules.route(req('assets/x.js', { method: 'POST' }))).toBeUndefined();
    expect(rules.route(req('assets/x.js', { headers: { authorization: 'Bearer k' } }))).toBeUndefined();
    expect(rules.route(req('models/m/model.onnx', { headers: { range: 'bytes=0-99' } }))).toBeUndefined();
  });

  it('caches reported URLs only when they are the app’s own files', () => {
    expect(rules.reportable('assets/ort-wasm.wasm')).toBe(`${SCOPE}assets/ort-wasm.wasm`);
    expect(rules.reportable(`${SCOPE}assets/a.js`)).toBe(`${SCOPE}assets/a.js`);
    expect(rules.reportable('https://api.openai.com/v1/models')).toBeUndefined();
    expect(rules.reportable('v1/models')).toBeUndefined();
    expect(rules.reportable('http://[bad')).toBeUndefined();
  });
});

describe('storable', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((q, r) => {
      r.writeHead(q.url === '/missing' ? 404 : 200).end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('keeps complete successful answers only', async () => {
    expect(storable(await fetch(`${base}/ok`))).toBe(true);
    expect(storable(await fetch(`${base}/missing`))).toBe(false);
    expect(storable(Response.error())).toBe(false);
    expect(storable(undefined)).toBe(false);
  });
});
