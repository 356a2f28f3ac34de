import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderServerDouble } from '../../../tests/doubles/provider-server-double.ts';
import type { ProviderConfig } from '../actor/provider.ts';
import { RequestLog } from '../net/requestLog.ts';
import { makeActor, makeCritic, type ModelClientOptions } from './models.ts';
import { providerConfigFor } from '../setup/factory.ts';

const server = new ProviderServerDouble();
beforeAll(() => server.start());
afterAll(() => server.stop());

describe('benchmark model clients', () => {
  it("send each role's requests through that role's fetch, so the app records them with their purpose", async () => {
    server.script('agent-m', { kind: 'message', content: 'hello' }).script('critic-m', { kind: 'message', content: '{"decision":"approve"}' });
    const log = new RequestLog();
    const base: ProviderConfig = { kind: 'openai-compatible', baseUrl: `${server.url}/v1`, model: 'x', apiKey: 'sk-bench', temperature: 0, maxTokens: 64, stream: false };
    const opts: ModelClientOptions = {
      providerFor: (spec) => providerConfigFor(spec, base),
      fetchFor: (role) => log.fetchFor(role === 'agent' ? 'actor' : role === 'user' ? 'simulated user' : 'critic'),
    };
    const signal = new AbortController().signal;
    await makeActor(opts, { engine: 'openai-compatible', model: 'agent-m' }, 'agent', 0).propose({ system: 's', messages: [{ role: 'user', content: 'hi' }], tools: [] }, signal);
    await makeCritic(opts, { engine: 'openai-compatible', model: 'critic-m' }).judge(
      { policy: 'p', tools: [], history: [{ role: 'user', content: 'hi' }], proposal: { kind: 'message', content: 'hello' }, previousAttempts: [] },
      signal,
    );
    expect(log.records.map((r) => [r.purpose, r.path, r.keyIn])).toEqual([
      ['actor', '/v1/chat/completions', ['authorization']],
      ['critic', '/v1/chat/completions', ['authorization']],
    ]);
  });
});
