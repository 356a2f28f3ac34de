import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderServerDouble } from '../../../tests/doubles/provider-server-double.ts';
import type { ChatMessage } from '../contracts.ts';
import { buildCriticPrompt, estimateTokens, renderPolicySection, VERDICT_RESERVE_TOKENS } from './prompt.ts';
import { RemoteCritic } from './remote.ts';
import type { CriticInput } from './critic-interface.ts';

const history: ChatMessage[] = Array.from({ length: 40 }, (_, i): ChatMessage[] => [
  { role: 'user', content: `Please look at reservation R${i}.` },
  { role: 'assistant', content: '', toolCalls: [{ id: `c${i}`, name: 'get_reservation_details', arguments: { reservation_id: `R${i}` } }] },
  { role: 'tool', toolCallId: `c${i}`, name: 'get_reservation_details', content: JSON.stringify({ reservation_id: `R${i}`, flights: Array.from({ length: 6 }, (_, k) => ({ flight_number: `HAT${k}${i}`, price: 100 + k })) }) },
]).flat();
const input = (policy: string): CriticInput => ({ policy, tools: [], history, proposal: { kind: 'message', content: 'All set.' }, previousAttempts: [] });

describe('RemoteCritic with a context window (--critic-context)', () => {
  const server = new ProviderServerDouble();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  const pc = () => ({ kind: 'openai-compatible', baseUrl: `${server.url}/v1`, apiKey: 'k', temperature: 0, maxTokens: 100, stream: false, model: 'critic' }) as const;

  it('sends the budgeted prompt: within the window at the documented estimate, policy and proposal kept', async () => {
    server.script('critic', { kind: 'message', content: '{"decision": "approve"}' });
    const critic = new RemoteCritic(pc(), {}, 4096);
    expect(critic.contextWindow).toBe(4096);
    const full = buildCriticPrompt(input('Verify the user first.'));
    expect(estimateTokens(full.user)).toBeGreaterThan(4096);
    const v = await critic.judge(input('Verify the user first.'), new AbortController().signal);
    expect(v.decision).toBe('approve');
    const sent = JSON.stringify(server.requests.at(-1)?.body ?? {});
    expect(sent.length).toBeLessThan(full.user.length);
    expect(estimateTokens(sent)).toBeLessThanOrEqual(4096 - VERDICT_RESERVE_TOKENS + 200);
    expect(sent).toContain(JSON.stringify(renderPolicySection('Verify the user first.')).slice(1, -1));
    expect(sent).toContain('All set.');
  });

  it('refuses a prompt that cannot fit with context-overflow, without calling the endpoint', async () => {
    const before = server.requests.length;
    const critic = new RemoteCritic(pc(), {}, 1024);
    await expect(critic.judge(input('Never refund. '.repeat(400)), new AbortController().signal)).rejects.toMatchObject({ code: 'context-overflow' });
    expect(server.requests.length).toBe(before);
  });

  it('sends the whole prompt without a window (the default)', async () => {
    server.script('critic', { kind: 'message', content: '{"decision": "approve"}' });
    await new RemoteCritic(pc()).judge(input('p'), new AbortController().signal);
    expect(JSON.stringify(server.requests.at(-1)?.body ?? {})).toContain(JSON.stringify(buildCriticPrompt(input('p')).user).slice(1, -1));
  });
});
