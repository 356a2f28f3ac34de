import { describe, expect, it } from 'vitest';
import { addUsage, mergeUsage, sumUsage, type UsageEntry } from './usage.ts';

describe('usage arithmetic', () => {
  it('adds into a total and skips missing counts', () => {
    const total = { promptTokens: 1, completionTokens: 2 };
    addUsage(total, { promptTokens: 10, completionTokens: 20 });
    addUsage(total, undefined);
    expect(total).toEqual({ promptTokens: 11, completionTokens: 22 });
    expect(sumUsage([{ promptTokens: 5, completionTokens: 1 }, undefined, { promptTokens: 7, completionTokens: 3 }])).toEqual({ promptTokens: 12, completionTokens: 4 });
    expect(sumUsage([])).toEqual({ promptTokens: 0, completionTokens: 0 });
  });

  it('totals entries per role, model and locality without changing its input', () => {
    const entries: UsageEntry[] = [
      { role: 'actor', model: 'gpt-4o', promptTokens: 100, completionTokens: 10 },
      { role: 'critic', model: 'gpt-4o', promptTokens: 50, completionTokens: 5 },
      { role: 'actor', model: 'gpt-4o', promptTokens: 1, completionTokens: 2 },
      { role: 'critic', model: 'tiny', local: true, promptTokens: 7, completionTokens: 1 },
      { role: 'critic', model: 'tiny', promptTokens: 3, completionTokens: 3 },
    ];
    const before = structuredClone(entries);
    expect(mergeUsage(entries)).toEqual([
      { role: 'actor', model: 'gpt-4o', promptTokens: 101, completionTokens: 12 },
      { role: 'critic', model: 'gpt-4o', promptTokens: 50, completionTokens: 5 },
      { role: 'critic', model: 'tiny', local: true, promptTokens: 7, completionTokens: 1 },
      { role: 'critic', model: 'tiny', promptTokens: 3, completionTokens: 3 },
    ]);
    expect(entries).toEqual(before);
  });
});
