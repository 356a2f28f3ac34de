import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderServerDouble } from '../../tests/doubles/provider-server-double.ts';
import { OpenAICompatibleActor } from './actor/openai.ts';
import { env } from '@huggingface/transformers';
import { ContextOverflowError, EngineError, SpotterError, StorageError, errorMessage } from './errors.ts';
import { errorFacts, errorReason, explainError } from './error-reason.ts';
import { TransformersEngine } from './engines/transformers.ts';

const server = new ProviderServerDouble();
let url = '';
beforeAll(async () => {
  url = await server.start();
});
afterAll(() => server.stop());

const fast = { retries: 0, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 2000 };
const req = { system: 's', messages: [{ role: 'user' as const, content: 'hi' }], tools: [] };

/** The error a real SDK call through the provider double ends with. */
async function failure(model: string, baseUrl = `${url}/v1`): Promise<unknown> {
  const actor = new OpenAICompatibleActor({ kind: 'openai-compatible', baseUrl, model, apiKey: 'sk-test-key-1234', temperature: 0, maxTokens: 64, stream: false }, { retry: fast });
  return actor.propose(req, new AbortController().signal).catch((e: unknown) => e);
}

describe('errorReason: provider failures through the real SDK path', () => {
  it('names the key, the quota, the model, the server, the window and the network, and says the status once', async () => {
    server
      .script('m401', { kind: 'echo-key', echo: 'prefix' })
      .script('m429', { kind: 'status', status: 429, message: 'You exceeded your current quota' })
      .script('m404', { kind: 'status', status: 404, message: 'The model `m404` does not exist' })
      .script('m500', { kind: 'status', status: 500 })
      .script('m400', { kind: 'status', status: 400, message: "This model's maximum context length is 8192 tokens" });
    const e401 = await failure('m401');
    expect(errorReason(errorFacts(e401))).toBe('key');
    expect(errorMessage(e401)).toMatch(/HTTP 401: Incorrect API key/);
    expect(errorMessage(e401)).not.toMatch(/HTTP 401: 401/);
    expect(errorReason(errorFacts(await failure('m429')))).toBe('quota');
    expect(errorReason(errorFacts(await failure('m404')))).toBe('model');
    expect(errorReason(errorFacts(await failure('m500')))).toBe('server');
    expect(errorReason(errorFacts(await failure('m400')))).toBe('window');
    // A closed port: "Failed to fetch" in a browser, a connection error under Node.
    expect(errorReason(errorFacts(await failure('x', 'http://127.0.0.1:9/v1')))).toBe('network');
  });

  it('names on-device and storage failures from their codes', () => {
    expect(errorReason(errorFacts(new ContextOverflowError('too long')))).toBe('window');
    expect(errorReason(errorFacts(new SpotterError('not-loaded', 'The in-browser critic is not loaded')))).toBe('setup');
    expect(errorReason(errorFacts(new StorageError('full', true)))).toBe('storage');
    expect(errorReason(errorFacts(new TypeError('Failed to fetch')))).toBe('network');
    expect(errorReason(errorFacts(new Error('something odd')))).toBe('other');
  });
});

/** The error the real transformers.js load ends with, its files on `host`. */
async function modelLoadFailure(model: string, remoteHost?: string): Promise<unknown> {
  const before = env.remoteHost;
  if (remoteHost) env.remoteHost = remoteHost;
  try {
    return await new TransformersEngine({ model, allowRemoteModels: true, device: 'wasm' }).load(() => undefined).catch((e: unknown) => e);
  } finally {
    env.remoteHost = before;
  }
}

describe('errorReason: an on-device model whose host cannot be reached (real transformers.js load)', () => {
  it('a model URL on a closed port, a hub id whose host is closed, a host without the files: network, with the model host named', async () => {
    server.reset();
    const failures = [
      await modelLoadFailure('http://127.0.0.1:9/nowhere/a-critic-model'),
      await modelLoadFailure('some-org/some-critic', 'http://127.0.0.1:9/'),
      // A live host that answers 404 for every file (the provider double serves only chat endpoints).
      await modelLoadFailure('some-org/some-critic', `${url}/`),
    ];
    const messages = failures.map(errorMessage);
    // The library's own words, wrapped by the engine: nothing in them says "network".
    expect(messages[0]).toMatch(/^Tokenizer of http:\/\/127\.0\.0\.1:9\/nowhere\/a-critic-model could not be loaded: /);
    expect(messages[1]).toMatch(/^Tokenizer of some-org\/some-critic could not be loaded: fetch failed/);
    expect(messages[2]).toMatch(/^Tokenizer of some-org\/some-critic could not be loaded: /);
    expect(server.requests.map((r) => r.path)).toContain('/some-org/some-critic/resolve/main/tokenizer_config.json');
    for (const err of failures) {
      expect(err).toBeInstanceOf(EngineError);
      const facts = errorFacts(err);
      expect(facts.code).toBe('load-failed');
      expect(errorReason(facts)).toBe('network');
      expect(explainError(facts).why).toMatch(/model host is down or unreachable/);
      expect(explainError(facts).todo).toMatch(/model id or URL/);
    }
  });

  it("web-llm's \"Failed to fetch\" on a load names the model host; the same words from a provider name the provider", () => {
    const load = errorFacts(new EngineError('load-failed', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC could not be loaded: TypeError: Failed to fetch'));
    expect(errorReason(load)).toBe('network');
    expect(explainError(load).why).toMatch(/model's files could not be downloaded/);
    const provider = errorFacts(new TypeError('Failed to fetch'));
    expect(explainError(provider).why).toMatch(/provider could not be reached/);
    // A model that downloaded but does not fit stays an engine failure.
    expect(errorReason(errorFacts(new EngineError('load-failed', 'm could not be loaded (webgpu/q4f16: out of memory)')))).toBe('engine');
  });
});
