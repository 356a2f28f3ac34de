/**
 * The critic on τ³ (issue 18 point 5): real-length episodes of every task
 * (gold actions on the ported environments, real tool outputs; telecom's
 * policy over retail-length episodes until its tools land) fit the default
 * critic window, with the whole policy and with the policy-sections view.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CRITIC_WINDOW } from '../engines/webllm-models.ts';
import { measureBudget } from '../../../tests/fixtures/real-length-episodes.ts';
import { tau2CriticEpisodes, tau2DataPresent, TAU2_CRITIC_DOMAINS, type Tau2Episode } from '../../../tests/fixtures/tau2-real-length.ts';
import { budgetForWindow, criticPrompt, estimateTokens, memoCounter, renderPolicySection } from './prompt.ts';

const count = memoCounter(estimateTokens);
const episodes = new Map<string, Tau2Episode[]>();

describe.runIf(tau2DataPresent())('real-length τ³ episodes and the critic window', () => {
  beforeAll(() => {
    for (const d of TAU2_CRITIC_DOMAINS) episodes.set(d, tau2CriticEpisodes(d));
  }, 300_000);

  it('cover every task with real observations', () => {
    expect(episodes.get('airline')).toHaveLength(50);
    expect(episodes.get('retail')).toHaveLength(114);
    for (const eps of episodes.values()) {
      for (const e of eps) {
        const tools = e.history.filter((m) => m.role === 'tool');
        expect(tools.length).toBeGreaterThan(1);
        // The generator's own reads find their records (the user is known for every task).
        expect(tools.filter((m) => m.name === 'get_user_details' && m.content.startsWith('Error'))).toEqual([]);
      }
    }
  });

  it.each(TAU2_CRITIC_DOMAINS)('%s: no prompt overflows the default window, with the whole policy or its sections', (domain) => {
    const eps = episodes.get(domain) ?? [];
    for (const policy of ['whole', 'sections'] as const) {
      const m = measureBudget(eps, DEFAULT_CRITIC_WINDOW, count, policy);
      expect(m.overflows).toBe(0);
      expect(Math.max(...m.after)).toBeLessThanOrEqual(DEFAULT_CRITIC_WINDOW);
    }
  });

  it('telecom: the budget shortens the longest prompts to fit; the whole policy always stays', () => {
    const eps = episodes.get('telecom') ?? [];
    const m = measureBudget(eps, DEFAULT_CRITIC_WINDOW, count);
    expect(Math.max(...m.before)).toBeGreaterThan(DEFAULT_CRITIC_WINDOW);
    expect(m.shortened).toBeGreaterThan(0);
    const budget = budgetForWindow(DEFAULT_CRITIC_WINDOW, count);
    for (const e of eps.slice(0, 10)) for (const input of e.points) expect(criticPrompt(input, budget).prompt.user).toContain(renderPolicySection(input.policy));
  });
}, 600_000);
