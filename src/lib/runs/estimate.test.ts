import { describe, expect, it } from 'vitest';
import { retailRunSpec } from '../../../tests/fixtures/run-specs.ts';
import { DEFAULT_PRICES } from '../pricing.ts';
import { DEFAULT_PROFILES, estimateReport, estimateSweep } from './estimate.ts';
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
});
