/**
 * τ³ exports against the ORIGINAL tau2-bench's verdict on them: export-sample.ts
 * builds a retail run through the port and exports it; check_export.py loaded
 * those very files (same sha256) with the original pydantic `Results` and
 * `Submission`, re-graded every simulation with the original evaluator on the
 * exported messages, and ran its metrics (export-check.json).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { exportSample, RETAIL_DIR, type Sample } from '../../../tests/fixtures/tau2/export-sample.ts';
import { ValidationError } from '../errors.ts';
import { tau2DomainMetrics, tau2Time } from './tau2-export.ts';

const Check = z.object({
  files: z.record(z.string(), z.string()),
  loaded: z.object({ simulations: z.number(), tasks: z.number(), domain: z.string() }),
  regraded: z.array(z.object({ id: z.string(), reward: z.number(), breakdown: z.record(z.string(), z.number()), equal: z.boolean(), checks_equal: z.array(z.boolean()) })),
  metrics: z.object({ pass_hat_ks: z.record(z.string(), z.number()), avg_reward: z.number(), avg_agent_cost: z.number().nullable() }),
  submission: z.object({ valid: z.boolean(), equal: z.boolean(), computed: z.record(z.string(), z.number().nullable()) }),
  not_judged: z.object({ loaded: z.number(), without_reward_info: z.number(), pass_hat_ks: z.record(z.string(), z.number()) }),
});
const check = Check.parse(JSON.parse(readFileSync(resolve('tests/fixtures/tau2/export-check.json'), 'utf8')));
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const ResultsShape = z.object({
  simulations: z.array(z.object({ id: z.string(), reward_info: z.object({ reward: z.number() }).nullable(), info: z.object({ spotter: z.record(z.string(), z.unknown()) }).nullable() })),
});

describe.runIf(existsSync(RETAIL_DIR))('τ³ results export, as the original reads it', () => {
  let judged: Sample;
  let unjudged: Sample;
  beforeAll(async () => {
    judged = await exportSample(true);
    unjudged = await exportSample(false);
  }, 120_000);

  it('builds exactly the files the original checked', () => {
    expect(sha(judged.results)).toBe(check.files['results.json']);
    expect(sha(judged.submission)).toBe(check.files['submission.json']);
    expect(sha(unjudged.results)).toBe(check.files['results-not-judged.json']);
  });

  it('loads in the original Results model, and the original evaluator re-grades every simulation to the exported reward', () => {
    expect(check.loaded).toEqual({ simulations: 11, tasks: 5, domain: 'retail' });
    expect(check.regraded.map((r) => r.id)).toEqual(judged.input.simulations.map((s) => s.id));
    for (const r of check.regraded) expect({ id: r.id, equal: r.equal, checks: r.checks_equal.every(Boolean) }).toEqual({ id: r.id, equal: true, checks: true });
    // Both outcomes occur, so equality means something.
    expect(new Set(check.regraded.map((r) => r.reward))).toEqual(new Set([0, 1]));
  });

  it("computes pass^k and cost as the original's compute_metrics, and writes a submission its Submission model accepts", () => {
    const m = tau2DomainMetrics(
      judged.input.simulations.map((s) => ({ taskId: s.task.id, reward: s.terminationReason === 'user_stop' ? (s.reward?.reward ?? null) : 0, terminationReason: s.terminationReason, agentCost: s.agentCost })),
    );
    for (const [k, v] of Object.entries(check.metrics.pass_hat_ks)) expect(m.passHatKs[Number(k)]).toBeCloseTo(v, 12);
    expect(Object.keys(m.passHatKs)).toEqual(Object.keys(check.metrics.pass_hat_ks));
    expect(m.avgReward).toBeCloseTo(check.metrics.avg_reward, 12);
    expect(m.avgAgentCost).toBeCloseTo(check.metrics.avg_agent_cost ?? NaN, 12);
    expect(check.submission).toMatchObject({ valid: true, equal: true });
    expect(JSON.parse(judged.submission)).toMatchObject({ results: { retail: { pass_1: check.submission.computed['pass_1'], pass_3: null } } });
  });

  it('exports an unjudged NL assertion with no reward, which the original counts as a failure, and refuses it in a submission', () => {
    const sims = ResultsShape.parse(JSON.parse(unjudged.results)).simulations;
    const open = sims.filter((s) => s.reward_info === null);
    expect(open).toHaveLength(check.not_judged.without_reward_info);
    expect(open.length).toBeGreaterThan(0);
    for (const s of open) expect(s.info?.spotter['not_judged']).toBe(true);
    expect(check.not_judged.pass_hat_ks['1']).toBeLessThan(check.metrics.pass_hat_ks['1'] ?? 0);
    const outcomes = unjudged.input.simulations.map((s) => ({ taskId: s.task.id, reward: s.reward?.reward ?? null, terminationReason: s.terminationReason, agentCost: s.agentCost }));
    expect(() => tau2DomainMetrics(outcomes.filter((o) => o.terminationReason === 'user_stop'), 'retail')).toThrow(ValidationError);
    expect(() => tau2DomainMetrics(outcomes.filter((o) => o.terminationReason === 'user_stop'), 'retail')).toThrow(/retail: 4 episode\(s\) have no reward/);
  });

  it("keeps Python's float arguments and tau2's time format", () => {
    expect(tau2Time(Date.UTC(2026, 11, 6, 9, 0, 0, 5))).toBe('2026-12-06T09:00:00.005000');
    expect(judged.results).toContain('"duration": 42.5');
    expect(judged.results).toMatch(/"reward": 1\.0/);
  });
});
