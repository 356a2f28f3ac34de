import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderServerDouble } from '../../../tests/doubles/provider-server-double.ts';
import { AbortedError, ProviderError } from '../errors.ts';
import { AnthropicActor } from './anthropic.ts';
import { OpenAICompatibleActor } from './openai.ts';
import type { ProviderConfig } from './provider.ts';
import type { RetryPolicy } from './retry.ts';
import type { ActorRequest } from './actor-interface.ts';

const server = new ProviderServerDouble();
const fast: RetryPolicy = { retries: 2, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 1500 };
const req: ActorRequest = {
  system: 'Be helpful.',
  messages: [{ role: 'user', content: 'Cancel order #W1' }],
  tools: [{ type: 'function', function: { name: 'cancel_order', description: 'Cancel', parameters: { type: 'object', properties: {} } } }],
};

function cfg(over: Partial<ProviderConfig> = {}): ProviderConfig {
  return { kind: 'openai-compatible', baseUrl: `${server.url}/v1`, model: 'actor', apiKey: 'sk-test-secret', temperature: 0, maxTokens: 256, stream: false, ...over };
}
const signal = () => new AbortController().signal;

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.stop());
beforeEach(() => server.reset());

describe.each([false, true])('OpenAI-compatible actor (stream=%s)', (stream) => {
  it('returns a message action with usage, sending system, tools and the key', async () => {
    server.script('actor', { kind: 'message', content: 'Sure, which order?' });
    const r = await new OpenAICompatibleActor(cfg({ stream }), { retry: fast }).propose(req, signal());
    expect(r.action).toEqual({ kind: 'message', content: 'Sure, which order?' });
    expect(r.usage).toEqual({ promptTokens: 11, completionTokens: 7 });
    const sent = server.requests[0];
    expect(sent?.headers.authorization).toBe('Bearer sk-test-secret');
    expect(sent?.body.messages).toEqual([
      { role: 'system', content: 'Be helpful.' },
      { role: 'user', content: 'Cancel order #W1' },
    ]);
    expect(sent?.body.tools).toEqual(req.tools);
  });

  it('keeps only the first tool call, with parsed arguments', async () => {
    server.script('actor', { kind: 'tool_call', name: 'cancel_order', arguments: { order_id: '#W1', reason: 'no longer needed' }, id: 'c1' });
    const r = await new OpenAICompatibleActor(cfg({ stream }), { retry: fast }).propose(req, signal());
    expect(r.action).toEqual({ kind: 'tool_call', call: { id: 'c1', name: 'cancel_order', arguments: { order_id: '#W1', reason: 'no longer needed' } } });
  });

  it('retries after 429 (honouring Retry-After) and 500, then succeeds', async () => {
    server.script('actor', { kind: 'status', status: 429, retryAfterS: 0 }, { kind: 'status', status: 500 }, { kind: 'message', content: 'ok' });
    const retries: number[] = [];
    const r = await new OpenAICompatibleActor(cfg({ stream }), { retry: fast, onRetry: (i) => retries.push(i.error.status ?? -1) }).propose(req, signal());
    expect(r.action).toEqual({ kind: 'message', content: 'ok' });
    expect(retries).toEqual([429, 500]);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up with a clear error after the retry budget', async () => {
    server.script('actor', { kind: 'status', status: 503 }, { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const err = await new OpenAICompatibleActor(cfg({ stream }), { retry: fast }).propose(req, signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).status).toBe(503);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a rejected key', async () => {
    server.script('actor', { kind: 'status', status: 401 });
    const err = await new OpenAICompatibleActor(cfg({ stream }), { retry: fast }).propose(req, signal()).catch((e: unknown) => e);
    expect(String(err)).toMatch(/rejected the API key/);
    expect(server.requests).toHaveLength(1);
  });

  it('times out a hanging call and retries it', async () => {
    server.script('actor', { kind: 'hang' }, { kind: 'message', content: 'late but fine' });
    const r = await new OpenAICompatibleActor(cfg({ stream }), { retry: { ...fast, timeoutMs: 300 } }).propose(req, signal());
    expect(r.action).toEqual({ kind: 'message', content: 'late but fine' });
  });

  it('retries a malformed reply, then reports it', async () => {
    server.script('actor', { kind: 'raw', body: '{"nope": true}' }, { kind: 'tool_call', name: 'cancel_order', arguments: '{not json' }, { kind: 'raw', body: '[]' });
    const err = await new OpenAICompatibleActor(cfg({ stream: false }), { retry: fast }).propose(req, signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(server.requests).toHaveLength(3);
  });

  it('stops at once when aborted mid-call', async () => {
    server.script('actor', { kind: 'hang' });
    const ac = new AbortController();
    const p = new OpenAICompatibleActor(cfg({ stream }), { retry: fast }).propose(req, ac.signal);
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toBeInstanceOf(AbortedError);
  });
});

it('retries a stream cut before the model finished', async () => {
  server.script('actor', { kind: 'cut', content: 'Half a rep' }, { kind: 'message', content: 'Whole reply' });
  const deltas: string[] = [];
  const r = await new OpenAICompatibleActor(cfg({ stream: true }), { retry: fast }).propose(req, signal(), (d) => deltas.push(d));
  expect(r.action).toEqual({ kind: 'message', content: 'Whole reply' });
  expect(deltas.join('')).toContain('Whole reply');
});

it('explains an unreachable endpoint (closed port, or no CORS in a browser) after retrying', async () => {
  const closed = new ProviderServerDouble();
  const url = await closed.start();
  await closed.stop();
  const retries: number[] = [];
  const err = await new OpenAICompatibleActor(cfg({ baseUrl: `${url}/v1` }), { retry: fast, onRetry: (i) => retries.push(i.attempt) })
    .propose(req, signal())
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  expect(String(err)).toMatch(/Could not reach the provider.*CORS/);
  expect(retries).toEqual([0, 1]);
});

describe('Anthropic actor', () => {
  const acfg = () => cfg({ kind: 'anthropic', baseUrl: server.url, model: 'claude-double' });

  it('maps tools and tool results, and reads tool_use', async () => {
    server.script('claude-double', { kind: 'tool_call', name: 'cancel_order', arguments: { order_id: '#W1' }, id: 'toolu_1' });
    const r = await new AnthropicActor(acfg(), { retry: fast }).propose(
      {
        ...req,
        messages: [
          ...req.messages,
          { role: 'assistant', content: '', toolCalls: [{ id: 't0', name: 'find', arguments: {} }] },
          { role: 'tool', toolCallId: 't0', name: 'find', content: 'found' },
        ],
      },
      signal(),
    );
    expect(r.action).toEqual({ kind: 'tool_call', call: { id: 'toolu_1', name: 'cancel_order', arguments: { order_id: '#W1' } } });
    expect(r.usage).toEqual({ promptTokens: 13, completionTokens: 5 });
    const sent = server.requests[0];
    expect(sent?.path).toBe('/v1/messages');
    // The SDK sends the key as x-api-key or (newer) as a bearer token.
    expect([sent?.headers['x-api-key'], sent?.headers.authorization]).toContain(sent?.headers['x-api-key'] ? 'sk-test-secret' : 'Bearer sk-test-secret');
    expect(sent?.headers['anthropic-dangerous-direct-browser-access']).toBe('true');
    expect(sent?.body.system).toBe('Be helpful.');
    expect(sent?.body.tools).toEqual([{ name: 'cancel_order', description: 'Cancel', input_schema: { type: 'object', properties: {} } }]);
    expect(sent?.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Cancel order #W1' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't0', name: 'find', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't0', content: 'found' }] },
    ]);
  });

  it('streams text deltas and a tool call whose input arrives in JSON fragments', async () => {
    server.script(
      'claude-double',
      { kind: 'message', content: 'Let me check that order for you.' },
      { kind: 'tool_call', name: 'cancel_order', arguments: { order_id: '#W1', reason: 'ordered by mistake' }, id: 'toolu_9' },
    );
    const deltas: string[] = [];
    const actor = new AnthropicActor({ ...acfg(), stream: true }, { retry: fast });
    const text = await actor.propose(req, signal(), (d) => deltas.push(d));
    expect(text.action).toEqual({ kind: 'message', content: 'Let me check that order for you.' });
    expect(deltas.length).toBe(2);
    expect(deltas.join('')).toBe('Let me check that order for you.');
    expect(text.usage).toEqual({ promptTokens: 13, completionTokens: 5 });
    const tool = await actor.propose(req, signal());
    expect(tool.action).toEqual({ kind: 'tool_call', call: { id: 'toolu_9', name: 'cancel_order', arguments: { order_id: '#W1', reason: 'ordered by mistake' } } });
    expect(server.requests.map((r) => r.body.stream)).toEqual([true, true]);
  });

  it('retries a cut stream instead of acting on half a reply', async () => {
    server.script('claude-double', { kind: 'cut', content: 'Refund approv' }, { kind: 'message', content: 'I can refund up to $100.' });
    const r = await new AnthropicActor({ ...acfg(), stream: true }, { retry: fast }).propose(req, signal());
    expect(r.action).toEqual({ kind: 'message', content: 'I can refund up to $100.' });
    expect(server.requests).toHaveLength(2);
  });

  it('retries a 529 overload and returns text', async () => {
    server.script('claude-double', { kind: 'status', status: 529 }, { kind: 'message', content: 'Hello' });
    const r = await new AnthropicActor(acfg(), { retry: fast }).propose(req, signal());
    expect(r.action).toEqual({ kind: 'message', content: 'Hello' });
  });
});
