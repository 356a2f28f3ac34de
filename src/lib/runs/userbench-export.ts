/**
 * UserBench exports in eval.py's shapes, one per configuration: the results
 * file (`{env: {"<pass_k>": {micro_avg, micro_max, avg_number_of_08,
 * avg_number_of_1}}}`) and the reward cache (per task, every rollout's
 * per-turn history and reward list, trials in order), keyed by task index
 * instead of eval.py's hash of the prompt.
 */
import type { EpisodeTrace } from '../traces/schema.ts';
import { planSlots, runEnvironmentName } from './plan.ts';
import type { RunRecord } from './record.ts';
import { userBenchSummary } from './userbench-metrics.ts';

interface EvalPyTurn {
  turn: number;
  choice: unknown;
  content: unknown;
  feedback: string;
  reward: number;
  passive_elicited_preferences: unknown;
  active_elicited_preferences: unknown;
}

/** eval.py's `history` of one rollout, rebuilt from the trace's steps. */
function evalPyHistory(trace: EpisodeTrace | undefined): EvalPyTurn[] {
  if (!trace) return [];
  const out: EvalPyTurn[] = [];
  for (const entry of trace.timeline) {
    if (entry.type !== 'step' || entry.step.reward === undefined || entry.step.executed.kind !== 'tool_call') continue;
    const args = entry.step.executed.call.arguments;
    const info = entry.step.envInfo ?? {};
    out.push({
      turn: out.length,
      choice: args['choice'],
      content: args['content'],
      feedback: entry.step.observation ?? '',
      reward: entry.step.reward,
      passive_elicited_preferences: info['passiveElicited'] ?? 0,
      active_elicited_preferences: info['activeElicited'] ?? 0,
    });
  }
  return out;
}

interface UserBenchExport {
  results: Record<string, Record<string, { micro_avg: number; micro_max: number; avg_number_of_08: number; avg_number_of_1: number }>>;
  reward_cache: Record<string, Record<string, { history: EvalPyTurn[][]; reward: number[][] }>>;
}

export function userBenchExport(record: RunRecord, configIndex: number, traceOf: (episodeId: string) => EpisodeTrace | undefined): UserBenchExport {
  const env = runEnvironmentName(record.spec);
  const results = Object.values(record.results).filter((r) => r.configIndex === configIndex);
  const cache: Record<string, { history: EvalPyTurn[][]; reward: number[][] }> = {};
  for (const slot of planSlots(record.spec)) {
    const r = slot.configIndex === configIndex ? record.results[slot.key] : undefined;
    if (!r) continue;
    const entry = (cache[String(r.taskIndex)] ??= { history: [], reward: [] });
    entry.history.push(evalPyHistory(traceOf(r.episodeId)));
    // eval.py records [0] for a rollout that failed before its first turn.
    entry.reward.push(r.turnRewards?.length ? r.turnRewards : [0]);
  }
  const s = userBenchSummary(results);
  return {
    results: s
      ? { [env]: { [String(record.spec.trials)]: { micro_avg: s.microAvg, micro_max: s.microMax, avg_number_of_08: s.avgNumberOf08, avg_number_of_1: s.avgNumberOf1 } } }
      : { [env]: {} },
    reward_cache: { [env]: cache },
  };
}
