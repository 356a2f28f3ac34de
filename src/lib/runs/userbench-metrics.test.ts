import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SlotResult } from './record.ts';
import { lastRolloutPerTask, postProcessResults, userBenchSummary } from './userbench-metrics.ts';

/** Made by scripts/parity/userbench_metrics.py, which runs eval.py's own post_process_results. */
const Fixture = z.array(
  z.object({
    lastRollouts: z.array(z.array(z.number())),
    expected: z.object({ micro_avg: z.number(), micro_max: z.number(), avg_number_of_08: z.number(), avg_number_of_1: z.number() }),
  }),
);
const cases = Fixture.parse(JSON.parse(readFileSync(new URL('../../../tests/fixtures/userbench/userbench-metrics.json', import.meta.url), 'utf8')));

function result(taskIndex: number, trial: number, turnRewards: number[] | undefined, details?: Record<string, unknown>): SlotResult {
  return {
    key: `c0-t${taskIndex}-r${trial}`,
    episodeId: `run/c0-t${taskIndex}-r${trial}`,
    configIndex: 0,
    taskIndex,
    trial,
    outcome: 'done',
    reward: 0,
    ...(turnRewards ? { turnRewards } : {}),
    ...(details ? { rewardDetails: details } : {}),
    steps: turnRewards?.length ?? 0,
    revisions: 0,
    flagged: 0,
    usage: [],
    actorCalls: 0,
    actorLatencyMs: 0,
    criticCalls: 0,
    criticLatencyMs: 0,
    criticErrors: 0,
    contextOverflows: 0,
    startedAt: 0,
    endedAt: 1,
  };
}

describe("eval.py's post_process_results", () => {
  it('gives exactly the figures the original computes on the same reward lists', () => {
    expect(cases.length).toBeGreaterThan(10);
    for (const c of cases) {
      const got = postProcessResults(c.lastRollouts);
      expect(got).toEqual({
        tasks: c.lastRollouts.length,
        microAvg: c.expected.micro_avg,
        microMax: c.expected.micro_max,
        avgNumberOf08: c.expected.avg_number_of_08,
        avgNumberOf1: c.expected.avg_number_of_1,
      });
    }
  });

  it('counts only exact 1.0 and 0.8 turns, and scores an empty rollout 0', () => {
    // A multi-ID answer in the async path scores 1.8 (no clip): neither a 1.0 nor a 0.8.
    expect(postProcessResults([[0.2, 0.2, 1.8], []])).toEqual({ tasks: 2, microMax: 0.9, microAvg: (2.2 / 3) / 2, avgNumberOf1: 0, avgNumberOf08: 0 });
    expect(postProcessResults([])).toBeUndefined();
  });
});

describe('userBenchSummary', () => {
  it("scores each task's last trial only, as eval.py scores reward[-1]", () => {
    const rs = [result(1, 0, [1.0]), result(1, 2, [0.2]), result(0, 1, [0.8, 0.2]), result(1, 1, [1.0, 1.0])];
    expect(lastRolloutPerTask(rs).map((r) => [r.taskIndex, r.trial])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    const s = userBenchSummary(rs);
    expect(s?.microMax).toBeCloseTo((0.8 + 0.2) / 2, 12);
    expect(s?.avgNumberOf08).toBe(0.5);
    expect(s?.avgNumberOf1).toBe(0);
  });

  it('averages elicited preferences over every finished episode and ignores results without turn rewards', () => {
    const s = userBenchSummary([
      result(0, 0, [0.2], { active_elicited_preferences: 2, passive_elicited_preferences: 1 }),
      result(1, 0, [0.2], { active_elicited_preferences: 0, passive_elicited_preferences: 0 }),
      result(2, 0, undefined),
    ]);
    expect(s?.tasks).toBe(2);
    expect(s?.meanActiveElicited).toBe(1);
    expect(s?.meanPassiveElicited).toBe(0.5);
    expect(userBenchSummary([result(0, 0, undefined)])).toBeUndefined();
  });
});
