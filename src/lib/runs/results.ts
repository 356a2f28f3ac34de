/**
 * Per-configuration results of a run: pass^k over the planned trials, with
 * tokens, cost and latency. Pure over the run record.
 */
import { costOf, type CostSummary, type PriceTable } from '../pricing.ts';
import { mergeUsage, sumUsage } from '../usage.ts';
import { passHatK, type PassKSummary } from './passk.ts';
import { planSlots } from './plan.ts';
import type { RunRecord, SlotResult } from './record.ts';
import { userBenchSummary, type UserBenchSummary } from './userbench-metrics.ts';

export interface ConfigurationResult {
  label: string;
  mode: string;
  critic: string | undefined;
  planned: number;
  finished: number;
  errors: number;
  /** Every task has all its trials: pass^k is final. */
  complete: boolean;
  /**
   * pass^k over tasks with at least one finished trial, with n = the planned
   * trials, so a partial run never overstates: a missing trial counts as not
   * (yet) passed.
   */
  passK: PassKSummary | undefined;
  promptTokens: number;
  completionTokens: number;
  cost: CostSummary;
  /** Mean wall time of an episode. */
  meanEpisodeMs: number | undefined;
  meanActorCallMs: number | undefined;
  meanCriticCallMs: number | undefined;
  revisions: number;
  flagged: number;
  /** UserBench runs: eval.py's micro_max, micro_avg and 1.0 / 0.8 counts, with elicitation. */
  userBench?: UserBenchSummary;
  /** Critic error verdicts, and those that were context overflows: verdicts the critic never gave. */
  criticErrors: number;
  contextOverflows: number;
}

function mean(sum: number, count: number): number | undefined {
  return count > 0 ? sum / count : undefined;
}

export function configurationResults(record: RunRecord, prices: PriceTable): ConfigurationResult[] {
  const planned = planSlots(record.spec);
  return record.spec.configurations.map((c, configIndex) => {
    const results: SlotResult[] = Object.values(record.results).filter((r) => r.configIndex === configIndex);
    const usage = mergeUsage(results.flatMap((r) => r.usage));
    const sum = (f: (r: SlotResult) => number): number => results.reduce((s, r) => s + f(r), 0);
    const plannedHere = planned.filter((s) => s.configIndex === configIndex).length;
    const userBench = userBenchSummary(results);
    return {
      label: c.label,
      mode: c.mode,
      critic: c.mode === 'off' ? undefined : c.critic?.model,
      planned: plannedHere,
      finished: results.length,
      errors: results.filter((r) => r.outcome === 'error').length,
      complete: results.length === plannedHere,
      passK: passHatK(
        results.map((r) => ({ taskId: r.taskIndex, trial: r.trial, reward: r.reward })),
        record.spec.trials,
      ),
      ...sumUsage(usage),
      cost: costOf(usage, prices),
      meanEpisodeMs: mean(sum((r) => r.endedAt - r.startedAt), results.length),
      meanActorCallMs: mean(sum((r) => r.actorLatencyMs), sum((r) => r.actorCalls)),
      meanCriticCallMs: mean(sum((r) => r.criticLatencyMs), sum((r) => r.criticCalls)),
      revisions: sum((r) => r.revisions),
      flagged: sum((r) => r.flagged),
      ...(userBench ? { userBench } : {}),
      criticErrors: sum((r) => r.criticErrors),
      contextOverflows: sum((r) => r.contextOverflows),
    };
  });
}
