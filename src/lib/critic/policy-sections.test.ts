import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { budgetForWindow, criticPrompt, estimateTokens, policySections, policySectionsMarker, renderPolicySection } from './prompt.ts';
import type { CriticInput } from './critic-interface.ts';

// The τ³ airline policy, as the agent gets it (../shared/tau2-bench).
const policy = readFileSync(resolve(process.cwd(), '..', 'shared', 'tau2-bench', 'airline', 'policy.md'), 'utf8');
const headings = policy.split('\n').filter((l) => /^#{1,6}\s/.test(l));
const bodyOf = (heading: string): string => {
  const start = policy.indexOf(`${heading}\n`);
  const next = policy.slice(start + heading.length + 1).search(/^#{1,6}\s/m);
  return policy.slice(start + heading.length + 1, next < 0 ? undefined : start + heading.length + 1 + next).trim();
};

const input = (proposal: CriticInput['proposal']): CriticInput => ({ policy, tools: [], history: [{ role: 'user', content: 'Hi, I need help with my trip.' }], proposal, previousAttempts: [] });
const cancel = input({ kind: 'tool_call', call: { id: 'c', name: 'cancel_reservation', arguments: { reservation_id: 'EHGLP3' } } });

describe('policySections', () => {
  it("keeps every heading, the title's general rules and the sections about the proposed tool; leaves out the others and says how many", () => {
    const view = policySections(cancel);
    for (const h of headings) expect(view).toContain(h);
    expect(view).toContain(bodyOf('## Cancel flight'));
    expect(view).not.toContain(bodyOf('## Modify flight'));
    expect(view).toContain(bodyOf('# Airline Agent Policy'));
    const left = /\((\d+) policy sections/.exec(view)?.[1];
    expect(Number(left)).toBeGreaterThan(0);
    expect(view.endsWith(policySectionsMarker(Number(left)))).toBe(true);
    expect(view.length).toBeLessThan(policy.length * 0.8);
  });

  it("a message's words choose the sections: a baggage question keeps the baggage rules", () => {
    const view = policySections(input({ kind: 'message', content: 'You can add checked baggage to your reservation; each extra bag costs 50 dollars.' }));
    const baggage = policy.split('\n').find((l) => /baggage/i.test(l) && !/^#/.test(l));
    expect(baggage).toBeDefined();
    expect(view).toContain(baggage ?? '');
  });

  it('is an option of the budget, off by default: the default prompt holds the whole policy', () => {
    const whole = criticPrompt(cancel, budgetForWindow(16384, estimateTokens));
    expect(whole.prompt.user).toContain(renderPolicySection(policy));
    const sections = criticPrompt(cancel, budgetForWindow(16384, estimateTokens, 'sections'));
    expect(sections.prompt.user).toContain(renderPolicySection(policySections(cancel)));
    expect(sections.tokens).toBeLessThan(whole.tokens);
  });

  it('returns a policy without headings unchanged', () => {
    expect(policySections({ ...cancel, policy: 'Be kind. Never cancel without a yes.' })).toBe('Be kind. Never cancel without a yes.');
  });
});
