import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../contracts.ts';
import {
  CHUNK_MESSAGES,
  KEEP_LAST_MESSAGES,
  OBSERVATION_HEAD_CHARS,
  OBSERVATION_TAIL_CHARS,
  buildCriticPrompt,
  criticPrompt,
  estimateTokens,
  fitCriticInput,
  memoCounter,
  nextCriticConversation,
  omittedMessagesMarker,
  RESTART_FRACTION,
  shortenObservation,
  withVerdict,
  type CriticConversation,
  type PromptBudget,
} from './prompt.ts';
import type { CriticInput } from './critic-interface.ts';

const policy = `# Retail agent policy\n${'The agent must verify the user before acting. '.repeat(40)}`;
const tools: CriticInput['tools'] = [{ type: 'function', function: { name: 'get_order_details', description: 'Get an order', parameters: {} } }];

/** An observation of realistic size: a tau-bench order is 1-3k characters of JSON. */
const observation = (i: number) => JSON.stringify({ order_id: `#W${1000 + i}`, items: Array.from({ length: 30 }, (_, k) => ({ item_id: `${i}${k}`, name: 'T-Shirt', price: 50 + k })) });

function historyAt(steps: number): ChatMessage[] {
  const h: ChatMessage[] = [];
  for (let i = 0; i < steps; i++) {
    h.push({ role: 'user', content: `Please check order ${i}, I want to return one item from it.` });
    h.push({ role: 'assistant', content: '', toolCalls: [{ id: `c${i}`, name: 'get_order_details', arguments: { order_id: `#W${1000 + i}` } }] });
    h.push({ role: 'tool', name: 'get_order_details', toolCallId: `c${i}`, content: observation(i) });
  }
  return h;
}

const inputAt = (steps: number): CriticInput => ({
  policy,
  tools,
  history: historyAt(steps),
  proposal: { kind: 'tool_call', call: { id: 'p', name: 'get_order_details', arguments: { order_id: '#W1' } } },
  previousAttempts: [{ action: { kind: 'message', content: 'Done, refunded.' }, feedback: 'Look the order up first.' }],
});

const commonPrefixLength = (a: string, b: string) => {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
};
const exact = (p: { system: string; user: string }) => estimateTokens(p.system) + estimateTokens(p.user);
const budget = (maxTokens: number): PromptBudget => ({ maxTokens, count: estimateTokens });

describe('shortenObservation', () => {
  it('keeps a head and a tail and says how many characters went', () => {
    const body = 'x'.repeat(OBSERVATION_HEAD_CHARS) + 'y'.repeat(5000) + 'z'.repeat(OBSERVATION_TAIL_CHARS);
    const s = shortenObservation(body);
    expect(s.startsWith('x'.repeat(OBSERVATION_HEAD_CHARS))).toBe(true);
    expect(s.endsWith('z'.repeat(OBSERVATION_TAIL_CHARS))).toBe(true);
    expect(s).toContain('[... 5000 characters left out ...]');
  });
  it('leaves short bodies alone', () => {
    expect(shortenObservation('{"ok": true}')).toBe('{"ok": true}');
  });
});

describe('fitCriticInput', () => {
  it('changes nothing when the prompt fits', () => {
    const input = inputAt(4);
    const { prompt, fit } = criticPrompt(input, budget(100_000));
    expect(prompt).toEqual(buildCriticPrompt(input));
    expect(fit).toMatchObject({ fits: true, omitted: 0, shortenedObservations: 0, shortenedChars: 0 });
  });

  it('shortens older observations first, in chunks, and never the last messages, the policy, the attempts or the proposal', () => {
    const input = inputAt(20);
    const full = exact(buildCriticPrompt(input));
    const { prompt, fit } = criticPrompt(input, budget(Math.round(full * 0.8)));
    expect(fit?.fits).toBe(true);
    expect(fit?.omitted).toBe(0);
    expect(fit?.shortenedObservations).toBeGreaterThan(0);
    expect(fit?.shortenedChars).toBeGreaterThan(0);
    // Shortening moves in whole chunks of messages: the tool messages before a chunk boundary are all shortened.
    const shortened = fit?.input.history.flatMap((m, i) => (m.role === 'tool' && m.content !== input.history[i]?.content ? [i] : [])) ?? [];
    const boundary = Math.max(...shortened) + 1;
    expect(boundary % CHUNK_MESSAGES === 0 || boundary >= input.history.length - KEEP_LAST_MESSAGES).toBe(true);
    expect(fit?.input.history.slice(-KEEP_LAST_MESSAGES)).toEqual(input.history.slice(-KEEP_LAST_MESSAGES));
    expect(prompt.user).toContain(policy);
    expect(prompt.user).toContain('Look the order up first.');
    expect(prompt.user).toContain('# Proposed next action\nTool call: get_order_details({"order_id":"#W1"})');
    expect(exact(prompt)).toBeLessThanOrEqual(Math.round(full * 0.8));
  });

  it('then leaves out the oldest messages, in chunks, with a marker saying how many', () => {
    const input = inputAt(40);
    const fixedOnly = exact(buildCriticPrompt({ ...input, history: input.history.slice(-KEEP_LAST_MESSAGES) }));
    const { prompt, fit } = criticPrompt(input, budget(fixedOnly + 1500));
    expect(fit?.fits).toBe(true);
    expect(fit?.omitted).toBeGreaterThan(0);
    expect((fit?.omitted ?? 0) % CHUNK_MESSAGES === 0 || fit?.omitted === input.history.length - KEEP_LAST_MESSAGES).toBe(true);
    expect(prompt.user).toContain(omittedMessagesMarker(fit?.omitted ?? 0));
    expect(fit?.input.history).toHaveLength(input.history.length - (fit?.omitted ?? 0));
    expect(fit?.input.history.slice(-KEEP_LAST_MESSAGES)).toEqual(input.history.slice(-KEEP_LAST_MESSAGES));
    expect(exact(prompt)).toBeLessThanOrEqual(fixedOnly + 1500);
  });

  it('reports a prompt that cannot fit (the policy alone is too long) instead of cutting the policy', () => {
    const { prompt, fit } = criticPrompt(inputAt(10), budget(200));
    expect(fit?.fits).toBe(false);
    expect(prompt.user).toContain(policy);
  });

  it("its token sum never undercounts the built prompt", () => {
    for (const steps of [0, 3, 12, 30]) {
      for (const max of [1500, 3000, 6000, 50_000]) {
        const input = inputAt(steps);
        const fit = fitCriticInput(input, budget(max));
        expect(fit.tokens).toBeGreaterThanOrEqual(exact(buildCriticPrompt(fit.input, fit.omitted)));
      }
    }
  });

  it('is deterministic and keeps the prompt prefix stable over most steps of a growing episode', () => {
    const b = budget(6000);
    let prefixChanges = 0;
    let previous: string | undefined;
    for (let steps = 1; steps <= 60; steps++) {
      const a = criticPrompt(inputAt(steps), b).prompt.user;
      expect(criticPrompt(inputAt(steps), b).prompt.user).toBe(a);
      const conversation = a.slice(0, a.indexOf('# Earlier proposals'));
      // Most of the previous step's conversation should still open this one (what a KV cache can reuse).
      if (previous !== undefined && commonPrefixLength(previous, conversation) < previous.length / 2) prefixChanges++;
      previous = conversation;
    }
    // Chunked shortening: the shared prefix breaks about once per chunk of messages (3 per step), not at every step.
    expect(prefixChanges).toBeLessThanOrEqual(Math.ceil((60 * 3) / CHUNK_MESSAGES));
    expect(prefixChanges).toBeGreaterThan(0);
  });
});

describe('memoCounter', () => {
  it('counts each text once', () => {
    let calls = 0;
    const c = memoCounter((t) => {
      calls++;
      return t.length;
    });
    expect([c('ab'), c('ab'), c('abc')]).toEqual([2, 2, 3]);
    expect(calls).toBe(2);
  });
});

describe('the incremental chat within a budget', () => {
  it('grows until the window is full, then restarts with a fitted first turn, never passing the budget', () => {
    const b = budget(5000);
    let prev: CriticConversation | undefined;
    let restarts = 0;
    for (let steps = 1; steps <= 40; steps++) {
      const next = nextCriticConversation(prev, inputAt(steps), b);
      expect(next.fits).toBe(true);
      const sent = next.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
      expect(sent).toBeLessThanOrEqual(b.maxTokens);
      expect(next.messages[0]?.content).toContain(policy);
      expect(next.messages.at(-1)?.content).toContain('# Proposed next action');
      if (!next.extended && prev) {
        restarts++;
        expect(next.state.tokens).toBeLessThanOrEqual(b.maxTokens * RESTART_FRACTION);
      }
      prev = withVerdict(next.state, '{"decision": "approve"}', 6);
    }
    expect(restarts).toBeGreaterThan(0);
    expect(restarts).toBeLessThan(20);
  });
});
