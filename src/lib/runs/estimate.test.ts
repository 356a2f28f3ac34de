import { describe, expect, it } from 'vitest';
import { retailRunSpec } from '../../../tests/fixtures/run-specs.ts';
import { NL_JUDGE_SYSTEM_PROMPT, nlJudgeUserPrompt } from '../envs/tau2/nl-judge.ts';
import { loadNodeTau2Pack } from '../envs/tau2/pack-node.ts';
import { DEFAULT_PRICES } from '../pricing.ts';
import { DEFAULT_JUDGE, DEFAULT_PROFILES, estimateReport, estimateSweep, tau2JudgedAssertions } from './estimate.ts';
import { parseRunSpec } from './plan.ts';
import { newRunRecord, type SlotResult } from './record.ts';
import { unitsOfShard } from './shard.ts';
import { planUnits } from './units.ts';

const critic = { engine: 'openai-compatible', model: 'gpt-4o-mini', baseUrl: 'http://127.0.0.1:8/v1' } as const;
const spec = retailRunSpec({
  taskIndices: [0, 1, 2, 3, 4],
  trials: 2,
  configurations: [
    { label: 'actor alone', mode: 'off' },
    { label: 'critic intervene', mode: 'intervene', critic },
  ],
});

describe('estimateSweep', () => {
  it('prices the default profile: calls and tokens per role, the critic only where it judges', () => {
    const units = planUnits(spec);
    const e = estimateSweep(spec, units, DEFAULT_PRICES);
    const p = DEFAULT_PROFILES['tau-bench'];
    expect(e.units).toBe(20);
    const actor = e.roles.find((r) => r.role === 'actor');
    const crit = e.roles.find((r) => r.role === 'critic');
    expect(actor).toMatchObject({ model: 'gpt-4o', calls: 20 * p.actor.calls, promptTokens: 20 * p.actor.calls * p.actor.promptPerCall });
    expect(crit).toMatchObject({ model: 'gpt-4o-mini', calls: 10 * p.actor.calls, promptTokens: 10 * p.actor.calls * p.critic.promptPerCall });
    // gpt-4o: $2.5 / $10 per 1M; gpt-4o-mini: $0.15 / $0.6 (the actor and the user both gpt-4o).
    const usd =
      (20 * p.actor.calls * (p.actor.promptPerCall * 2.5 + p.actor.completionPerCall * 10) +
        20 * p.user.calls * (p.user.promptPerCall * 2.5 + p.user.completionPerCall * 10) +
        10 * p.actor.calls * (p.critic.promptPerCall * 0.15 + p.critic.completionPerCall * 0.6)) /
      1e6;
    expect(e.cost.usd).toBeCloseTo(usd, 6);
    const shard = unitsOfShard(units, { index: 1, count: 4 });
    const report = estimateReport(shard, { index: 1, count: 4 }, estimateSweep(spec, shard, DEFAULT_PRICES));
    expect(report.split('\n').slice(0, 5)).toEqual(shard.map((u) => u.id));
    expect(report).toContain('5 units (shard 1/4)');
    expect(report).toContain('Nothing was sent.');
  });

  it("uses a pilot run's measured means, and says a model without a price is unpriced, not free", () => {
    const pilot = newRunRecord(spec, 0);
    const result = (configIndex: number, taskIndex: number): SlotResult => ({
      key: `c${configIndex}-t${taskIndex}-r0`,
      episodeId: `x/${taskIndex}`,
      configIndex,
      taskIndex,
      trial: 0,
      outcome: 'done',
      reward: 1,
      steps: 4,
      revisions: 0,
      flagged: 0,
      usage: [
        { role: 'actor', model: 'gpt-4o', promptTokens: 4000, completionTokens: 200 },
        { role: 'user', model: 'gpt-4o', promptTokens: 600, completionTokens: 60 },
        ...(configIndex === 1 ? [{ role: 'critic' as const, model: 'gpt-4o-mini', promptTokens: 3000, completionTokens: 100 }] : []),
      ],
      actorCalls: 4,
      actorLatencyMs: 1,
      criticCalls: configIndex === 1 ? 4 : 0,
      criticLatencyMs: 1,
      criticErrors: 0,
      contextOverflows: 0,
      startedAt: 0,
      endedAt: 1,
    });
    pilot.results = Object.fromEntries([result(0, 0), result(1, 0)].map((r) => [r.key, r]));
    const e = estimateSweep(spec, planUnits(spec), DEFAULT_PRICES, pilot);
    expect(e.basis).toContain('measured on 2 episodes');
    expect(e.roles.find((r) => r.role === 'actor')).toMatchObject({ calls: 80, promptTokens: 80_000, completionTokens: 4_000 });
    expect(e.roles.find((r) => r.role === 'critic')).toMatchObject({ calls: 40, promptTokens: 30_000, completionTokens: 1_000 });
    const unpriced = estimateSweep({ ...spec, actor: { ...spec.actor, model: 'my-model' } }, planUnits(spec), DEFAULT_PRICES);
    expect(unpriced.cost.usd).toBeUndefined();
    expect(unpriced.cost.unknownModels).toEqual(['my-model']);
  });

  describe("τ³'s NL judge", async () => {
    // Real retail tasks: in the base split, tasks 2, 3 and 4 have NL_ASSERTION in their reward basis, 0 and 1 not.
    const judged = tau2JudgedAssertions(await loadNodeTau2Pack('retail'), 'base');
    const judge = { engine: 'openai-compatible', model: 'gpt-4.1' } as const;
    const tau2Spec = (withJudge: boolean) =>
      parseRunSpec({
        ...retailRunSpec(),
        environment: { family: 'tau2', domain: 'retail' },
        split: 'base',
        taskIndices: [0, 1, 2, 3, 4],
        trials: 2,
        ...(withJudge ? { nlJudge: judge } : {}),
      });

    it('adds one judge call per episode of a task graded on NL assertions, priced on the judge model', () => {
      expect([0, 1, 2, 3, 4].map((t) => judged(t).length > 0)).toEqual([false, false, true, true, true]);
      const without = estimateSweep(tau2Spec(false), planUnits(tau2Spec(false)), DEFAULT_PRICES, undefined, judged);
      const withJudge = estimateSweep(tau2Spec(true), planUnits(tau2Spec(true)), DEFAULT_PRICES, undefined, judged);
      expect(without.roles.find((r) => r.role === 'judge')).toBeUndefined();
      const j = withJudge.roles.find((r) => r.role === 'judge');
      expect(j).toMatchObject({ model: 'gpt-4.1', calls: 3 * 2, local: false });
      if (!j) return;
      // Each call holds the judge's system prompt and the task's assertions on top of the conversation.
      const prompt = (t: number): number => Math.ceil((NL_JUDGE_SYSTEM_PROMPT.length + nlJudgeUserPrompt([], judged(t)).length) / 4) + DEFAULT_JUDGE.conversationTokens;
      expect(j.promptTokens).toBe(2 * (prompt(2) + prompt(3) + prompt(4)));
      expect(j.completionTokens).toBe(2 * DEFAULT_JUDGE.completionPerAssertion * (judged(2).length + judged(3).length + judged(4).length));
      // gpt-4.1: $2 / $8 per 1M.
      expect(withJudge.cost.usd ?? 0).toBeCloseTo((without.cost.usd ?? 0) + (j.promptTokens * 2 + j.completionTokens * 8) / 1e6, 9);
      expect(withJudge.calls).toBe(without.calls + 6);
      expect(estimateReport([], undefined, withJudge)).toMatch(/judge {2}gpt-4\.1: 6 calls/);
      expect(() => estimateSweep(tau2Spec(true), planUnits(tau2Spec(true)), DEFAULT_PRICES)).toThrow(/NL judge needs its τ³ tasks' assertions/);
    });

    it("uses a pilot's measured judge tokens a call, over the episodes that called it", () => {
      const spec = tau2Spec(true);
      const pilot = newRunRecord(spec, 0);
      const result = (taskIndex: number, judgeTokens: [number, number]): SlotResult => ({
        key: `c0-t${taskIndex}-r0`,
        episodeId: `x/${taskIndex}`,
        configIndex: 0,
        taskIndex,
        trial: 0,
        outcome: 'done',
        reward: 1,
        steps: 4,
        revisions: 0,
        flagged: 0,
        usage: [
          { role: 'actor', model: 'gpt-4o', promptTokens: 4000, completionTokens: 200 },
          { role: 'user', model: 'gpt-4o', promptTokens: 600, completionTokens: 60 },
          // The runner meters the judge in every episode of a run that has one: 0 tokens where no assertion was graded.
          { role: 'judge', model: 'gpt-4.1', promptTokens: judgeTokens[0], completionTokens: judgeTokens[1] },
        ],
        actorCalls: 4,
        actorLatencyMs: 1,
        criticCalls: 0,
        criticLatencyMs: 1,
        criticErrors: 0,
        contextOverflows: 0,
        startedAt: 0,
        endedAt: 1,
      });
      pilot.results = Object.fromEntries([result(0, [0, 0]), result(2, [5000, 150]), result(3, [7000, 250])].map((r) => [r.key, r]));
      const e = estimateSweep(spec, planUnits(spec), DEFAULT_PRICES, pilot, judged);
      expect(e.roles.find((r) => r.role === 'judge')).toMatchObject({ calls: 6, promptTokens: 6 * 6000, completionTokens: 6 * 200 });
    });
  });
});
