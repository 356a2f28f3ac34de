import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderServerDouble } from '../../tests/doubles/provider-server-double.ts';
import { OpenAICompatibleActor } from './actor/openai.ts';
import { ContextOverflowError, SpotterError, StorageError, errorMessage } from './errors.ts';
import { errorFacts, errorReason } from './error-reason.ts';

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
