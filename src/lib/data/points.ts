import type { CriticInput } from '../critic/critic-interface.ts';
import { environmentName } from '../envs/environment.ts';
import type { EpisodeMeta, TimelineEntry } from '../loop/events.ts';
import { historyFromTimeline } from '../loop/history.ts';
import { feedbackOf } from '../loop/run-episode.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import type { Proposal, ToolSchema } from '../contracts.ts';
import { pointKey } from './gold.ts';

// The loop's own feedback function, so rebuilt critic inputs are exactly the ones judged.
export { FAIL_CLOSED_FEEDBACK } from '../loop/run-episode.ts';

/** Groups episodes of one task across runs; an episode without a task is a task of its own. */
export function taskKeyOf(trace: Pick<EpisodeTrace, 'id' | 'meta'>): string {
  const m = trace.meta;
  return m.taskIndex === undefined ? `episode:${trace.id}` : `${environmentName(m.environment)}/${m.taskSplit ?? ''}/${m.taskIndex}`;
}

/** One actor proposal with exactly what the critic saw (or would have seen) when judging it. */
export interface DecisionPoint {
  key: string;
  episodeId: string;
  /** The environment's name (environmentName): training data and label stats group by it. */
  environment: string;
  taskKey: string;
  stepIndex: number;
  attempt: number;
  /** This proposal is the step's executed action (the last proposal of the step). */
  executed: boolean;
  proposal: Proposal;
  input: CriticInput;
}

/** The tools an episode's actor had; traces store only the policy. */
export type ToolsOf = (meta: EpisodeMeta) => ToolSchema[];

/**
 * Rebuilds the critic's view of every proposal in an episode, as runEpisode
 * built it: history before the step, the proposal, and the earlier rejected
 * proposals of the step with the feedback the actor was given.
 */
export function decisionPoints(trace: EpisodeTrace, toolsOf: ToolsOf): DecisionPoint[] {
  const tools = toolsOf(trace.meta);
  const out: DecisionPoint[] = [];
  const before: TimelineEntry[] = [];
  for (const entry of trace.timeline) {
    if (entry.type === 'step') {
      const { step } = entry;
      const history = historyFromTimeline(before);
      step.proposals.forEach((proposal, i) => {
        out.push({
          key: pointKey(trace.id, step.index, proposal.attempt),
          episodeId: trace.id,
          environment: environmentName(trace.meta.environment),
          taskKey: taskKeyOf(trace),
          stepIndex: step.index,
          attempt: proposal.attempt,
          executed: i === step.proposals.length - 1,
          proposal,
          input: {
            policy: trace.policy,
            tools,
            history,
            proposal: proposal.action,
            previousAttempts: step.proposals.slice(0, i).map((p) => ({ action: p.action, feedback: feedbackOf(p.verdict) })),
          },
        });
      });
    }
    before.push(entry);
  }
  return out;
}
