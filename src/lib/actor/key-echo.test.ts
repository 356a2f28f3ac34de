/**
 * A provider that echoes the key in its 401 (whole, cut to a prefix, inside
 * JSON): every client that talks to providers (both actors, the remote critic,
 * the simulated user) surfaces an error with no run of 8 of the key's
 * characters, through the real SDKs over HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderServerDouble } from '../../../tests/doubles/provider-server-double.ts';
import { RemoteCritic } from '../critic/remote.ts';
import { SimulatedUser } from '../envs/tau-bench/user.ts';
import { ProviderError, errorMessage } from '../errors.ts';
import { RUN_LENGTH } from '../secrets.ts';
import { providerActor } from './index.ts';
import type { ProviderConfig } from './provider.ts';

const KEY = 'sk-proj-echo-Xw4Lq9Zt2Vb7Nc3Mk8Pd';
const server = new ProviderServerDouble();
const retry = { retries: 0, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 5000 };
const signal = () => new AbortController().signal;

function cfg(kind: ProviderConfig['kind'], stream: boolean): ProviderConfig {
  return { kind, baseUrl: kind === 'anthropic' ? server.url : `${server.url}/v1`, model: 'm', apiKey: KEY, temperature: 0, maxTokens: 64, stream };
}

function keyRuns(text: string): string[] {
  const runs: string[] = [];
  for (let i = 0; i + RUN_LENGTH <= KEY.length; i++) if (text.includes(KEY.slice(i, i + RUN_LENGTH))) runs.push(KEY.slice(i, i + RUN_LENGTH));
  return runs;
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.stop());
beforeEach(() => server.reset());

const echoes = ['full', 'prefix', 'json'] as const;
const clients = [
  ['OpenAI-compatible actor', 'openai-compatible', false],
  ['OpenAI-compatible actor, streaming', 'openai-compatible', true],
  ['Anthropic actor', 'anthropic', false],
  ['Anthropic actor, streaming', 'anthropic', true],
] as const;

describe.each(clients)('%s, 401 echoing the key', (_name, kind, stream) => {
  it.each(echoes)('echo %s: the error names the key as sk-…last4 and holds no run of it', async (echo) => {
    server.script('m', { kind: 'echo-key', echo });
    const err = await failure(providerActor(cfg(kind, stream), { retry }).propose({ system: '', messages: [{ role: 'user', content: 'hi' }], tools: [] }, signal()));
    expect(server.requests).toHaveLength(1);
    expect(err).toBeInstanceOf(ProviderError);
    const message = errorMessage(err);
    expect(message).toContain('HTTP 401');
    expect(message).toContain(`sk-…${KEY.slice(-4)}`);
    expect(keyRuns(message)).toEqual([]);
    // Nothing else on the error carries the echo (it would show up when logged).
    expect(keyRuns(JSON.stringify(err, Object.getOwnPropertyNames(err)))).toEqual([]);
    expect(err instanceof Error && err.cause).toBeFalsy();
  });
});

describe('the remote critic and the simulated user go through the same scrub', () => {
  it.each(echoes)('echo %s: the critic fails with a scrubbed error', async (echo) => {
    server.script('m', { kind: 'echo-key', echo });
    const critic = new RemoteCritic(cfg('openai-compatible', false), { retry });
    const err = await failure(critic.judge({ policy: 'p', tools: [], history: [], proposal: { kind: 'message', content: 'x' }, previousAttempts: [] }, signal()));
    expect(keyRuns(errorMessage(err))).toEqual([]);
    expect(errorMessage(err)).toContain('HTTP 401');
  });

  it.each(echoes)('echo %s: the simulated user fails with a scrubbed error', async (echo) => {
    server.script('m', { kind: 'echo-key', echo });
    const user = new SimulatedUser(providerActor(cfg('anthropic', false), { retry }), 'You are a customer. Instruction: {instruction}', 'Return order #W1');
    const err = await failure(user.first(signal()));
    expect(keyRuns(errorMessage(err))).toEqual([]);
    expect(errorMessage(err)).toContain('HTTP 401');
  });
});
