/**
 * Per-configuration results of a run: pass^k over the planned trials, with
 * tokens, cost and latency. Pure over the run record.
 */
import { costOf, type CostSummary, type PriceTable } from '../pricing.ts';
import { mergeUsage, sumUsage } from '../usage.ts';
import { errorReason, type ErrorReason } from '../error-reason.ts';
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
   * (yet) passed. Errored episodes count as failures (reward 0), as
   * tau-bench's run.py and UserBench's eval.py count them.
   */
  passK: PassKSummary | undefined;
  /**
   * pass^k without the errored episodes (the provider failed, not the agent):
   * a task with an errored trial is left out. What the Benchmark tab shows
   * unless the person chooses to count errors as failures.
   */
  passKWithoutErrors: PassKSummary | undefined;
  /** Tasks left out of `passKWithoutErrors` because one of their trials errored or was not judged. */
  tasksWithErrors: number;
  /** τ³ episodes whose NL assertions nobody judged (no judge in the run): counted as failures in `passK`, left out of `passKWithoutErrors`. */
  notJudged: number;
  /** Why episodes errored, grouped (errorReason), most frequent first, each with one message as an example. */
  errorReasons: Array<{ reason: ErrorReason; count: number; example: string }>;
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
    const errored = results.filter((r) => r.outcome === 'error');
    const unjudged = results.filter((r) => r.notJudged === true);
    const erroredTasks = new Set([...errored, ...unjudged].map((r) => r.taskIndex));
    const outcome = (r: SlotResult) => ({ taskId: r.taskIndex, trial: r.trial, reward: r.reward });
    return {
      label: c.label,
      mode: c.mode,
      critic: c.mode === 'off' ? undefined : c.critic?.model,
      planned: plannedHere,
      finished: results.length,
      errors: errored.length,
      complete: results.length === plannedHere,
      passK: passHatK(results.map(outcome), record.spec.trials),
      passKWithoutErrors: passHatK(
        results.filter((r) => !erroredTasks.has(r.taskIndex)).map(outcome),
        record.spec.trials,
      ),
      tasksWithErrors: erroredTasks.size,
      notJudged: unjudged.length,
      errorReasons: groupErrors(errored),
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

function groupErrors(errored: readonly SlotResult[]): ConfigurationResult['errorReasons'] {
  const groups = new Map<ErrorReason, { reason: ErrorReason; count: number; example: string }>();
  for (const r of errored) {
    const message = r.error ?? 'no message recorded';
    const reason = errorReason({ message });
    const g = groups.get(reason) ?? { reason, count: 0, example: message };
    g.count++;
    groups.set(reason, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
