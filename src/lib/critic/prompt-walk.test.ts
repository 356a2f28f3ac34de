/**
 * Issue 17, point 6: a verdict request builds its prompt in one module. Counts
 * the calls that cross into critic/prompt.ts while EngineCritic judges (spies
 * on the module's exports see only calls from other modules), single-turn and
 * incremental, for a fresh prompt and for the next step.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as prompt from './prompt.ts';
import { EngineCritic } from './engine-critic.ts';
import type { CriticEngine, GenerateResult, PromptStyle } from '../engines/engine-interface.ts';
import type { ChatMessage } from '../contracts.ts';
import type { CriticInput } from './critic-interface.ts';

const history: ChatMessage[] = Array.from({ length: 40 }, (_, i): ChatMessage =>
  i % 2 ? { role: 'tool', name: 'get_order_details', toolCallId: `c${i}`, content: `{"order": ${i}, "items": "${'x'.repeat(2000)}"}` } : { role: 'user', content: `Please look at order ${i}.` },
);
const input = (n: number): CriticInput => ({
  policy: 'The agent must confirm before writing. '.repeat(80),
  tools: [{ type: 'function', function: { name: 'get_order_details', description: 'Get an order', parameters: {} } }],
  history: history.slice(0, n),
  proposal: { kind: 'message', content: 'Your order is on its way.' },
  previousAttempts: [],
});

/** An engine that answers at once, counting 3 characters per token, with a 4k window (so the budget shortens). */
function engineDouble(promptStyle: PromptStyle): CriticEngine {
  const reply: GenerateResult = { text: '{"decision":"approve"}', usage: { promptTokens: 1, completionTokens: 8 }, prefillTokens: 1, reusedTokens: 0, latencyMs: 1 };
  return {
    kind: 'transformers',
    model: 'double',
    label: 'engine double',
    contextWindow: 4096,
    promptStyle,
    tokenCounter: () => (t: string) => Math.ceil(t.length / 3),
    generate: () => Promise.resolve(reply),
    generateChat: () => Promise.resolve(reply),
    load: () => Promise.reject(new Error('the double is never loaded')),
    resetCache: () => Promise.resolve(),
    unload: () => Promise.resolve(),
  };
}

/** Calls into prompt.ts from other modules during `run`, by export name. */
async function entries(run: () => Promise<unknown>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  // The module namespace as vitest exposes it to spies (its exports are configurable there).
  const mod = prompt as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, fn] of Object.entries(mod)) {
    if (typeof fn !== 'function') continue;
    vi.spyOn(mod, name).mockImplementation((...args: unknown[]) => {
      counts[name] = (counts[name] ?? 0) + 1;
      return Reflect.apply(fn, undefined, args);
    });
  }
  await run();
  vi.restoreAllMocks();
  return counts;
}

afterEach(() => vi.restoreAllMocks());

describe('a verdict request builds its prompt in one call', () => {
  it.each(['single-turn', 'incremental'] as const)('%s: enters prompt.ts twice (the budget, then the builder), fresh and extended', async (style) => {
    const critic = new EngineCritic(engineDouble(style));
    const signal = new AbortController().signal;
    const first = await entries(() => critic.judge(input(30), signal));
    const next = await entries(() => critic.judge(input(32), signal));
    const expected = style === 'incremental' ? { budgetForWindow: 1, criticPrompt: 1, withVerdict: 1 } : { budgetForWindow: 1, criticPrompt: 1 };
    expect(first).toEqual(expected);
    expect(next).toEqual(expected);
  });
});
