/**
 * Every critic prompt of real-length tau-bench episodes (all 115 retail and
 * 50 airline test tasks, gold actions run on the real environment; reads
 * ../shared/tau-bench) at windows of 4k, 8k and 16k tokens.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTauPack, type TauPack } from '../envs/tau-bench/pack.ts';
import { nodePackSource } from '../envs/tau-bench/pack-node.ts';
import type { TauDomain } from '../envs/environment.ts';
import { measureBudget, realLengthEpisodes, type RealLengthEpisode } from '../../../tests/fixtures/real-length-episodes.ts';
import { DEFAULT_CRITIC_WINDOW } from '../engines/webllm-models.ts';
import { budgetForWindow, criticPrompt, estimateTokens, memoCounter, renderPolicySection, renderProposalSection } from './prompt.ts';

const DIR = path.resolve(process.cwd(), '..', 'shared', 'tau-bench');
const count = memoCounter(estimateTokens);
let pack: TauPack;
const episodes: Partial<Record<TauDomain, RealLengthEpisode[]>> = {};

beforeAll(async () => {
  pack = await loadTauPack(nodePackSource(DIR));
  for (const d of ['retail', 'airline'] as const) episodes[d] = realLengthEpisodes(pack, d);
  // Loading the pack and running every gold action takes seconds on a loaded machine.
}, 120_000);

describe.each(['retail', 'airline'] as const)('real-length %s episodes', (domain) => {
  it('cover every test task with real observations and realistic length', () => {
    const eps = episodes[domain] ?? [];
    expect(eps).toHaveLength(domain === 'retail' ? 115 : 50);
    const steps = eps.map((e) => e.points.length).sort((a, b) => a - b);
    // Real GPT-4o episodes average about 12 actions; these run 8 to 30.
    expect(steps[0]).toBeGreaterThanOrEqual(6);
    expect(steps[Math.floor(steps.length / 2)]).toBeGreaterThanOrEqual(10);
    for (const e of eps) {
      const tools = e.history.filter((m) => m.role === 'tool');
      expect(tools.length).toBeGreaterThan(1);
      // Real tool output: every tool exists, and the reads the generator adds find their records
      // (a few gold actions of the original fail, e.g. retail task 21 looks up item ids as products).
      expect(tools.filter((m) => /^Unknown action/.test(m.content))).toEqual([]);
      const added = tools.filter((m) => ['get_user_details', 'get_reservation_details', 'search_direct_flight'].includes(m.name));
      expect(added.filter((m) => /^Error/.test(m.content))).toEqual([]);
      expect(tools.filter((m) => /^Error/.test(m.content)).length).toBeLessThanOrEqual(3);
    }
  });

  it.each([4096, 8192, 16384])('every prompt keeps the policy and the proposal at a %i-token window', (window) => {
    const budget = budgetForWindow(window, count);
    for (const e of episodes[domain] ?? []) {
      for (const input of e.points) {
        const { prompt } = criticPrompt(input, budget);
        expect(prompt.user).toContain(renderPolicySection(input.policy));
        expect(prompt.user).toContain(renderProposalSection(input.proposal));
        for (const a of input.previousAttempts) expect(prompt.user).toContain(a.feedback);
      }
    }
  });

  it('never overflows at the default window, and the budget keeps every prompt inside it', () => {
    const m = measureBudget(episodes[domain] ?? [], DEFAULT_CRITIC_WINDOW, count);
    expect(m.overflows).toBe(0);
    expect(Math.max(...m.after)).toBeLessThanOrEqual(DEFAULT_CRITIC_WINDOW);
  });

  it('at 4k, shortens the long prompts to fit, and the shortest windows shorten most', () => {
    const at4k = measureBudget(episodes[domain] ?? [], 4096, count);
    const at8k = measureBudget(episodes[domain] ?? [], 8192, count);
    // Without a budget, a share of prompts would not fit 4k (the issue measured 29% on real airline episodes).
    expect(at4k.before.filter((n) => n > 4096).length).toBeGreaterThan(0);
    expect(at4k.shortened).toBeGreaterThan(at8k.shortened);
    expect(at4k.shortenedChars).toBeGreaterThan(at8k.shortenedChars);
    // The budget sums per piece (an upper estimate), so a prompt well inside the window is never touched.
    for (let i = 0; i < at4k.after.length; i++) {
      if ((at4k.before[i] ?? 0) <= 0.9 * (4096 - 256)) expect(at4k.after[i]).toBe(at4k.before[i]);
    }
  });
});
