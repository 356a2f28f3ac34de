/**
 * The one count of an episode's steps: steps, proposals, revisions, flags,
 * calls, latencies, critic failures, tokens per side and per-turn rewards.
 * Fed step by step, so the benchmark runner counts while the loop runs and
 * the episode view counts a stored trace the same way.
 */
import { isContextOverflow } from '../critic/health.ts';
import type { Step, Usage } from '../contracts.ts';
import { addUsage } from '../usage.ts';

export class EpisodeTally {
  steps = 0;
  /** Actor calls: every proposal, revisions included. */
  proposals = 0;
  /** Steps where the critic sent a proposal back and the actor revised it. */
  revisedSteps = 0;
  /** Proposals sent back: proposals beyond the first of each step. */
  revisions = 0;
  /** Revise verdicts in all (in monitor mode: objections that did not block). */
  reviseVerdicts = 0;
  flagged = 0;
  actorLatencyMs = 0;
  /** Critic calls: proposals with a verdict. */
  verdicts = 0;
  criticLatencyMs = 0;
  maxVerdictMs: number | undefined = undefined;
  criticErrors = 0;
  contextOverflows = 0;
  actorUsage: Usage = { promptTokens: 0, completionTokens: 0 };
  criticUsage: Usage = { promptTokens: 0, completionTokens: 0 };
  /** The environment's reward of every step that has one (UserBench), in order. */
  turnRewards: number[] = [];

  addStep(step: Step): void {
    this.steps++;
    if (step.reward !== undefined) this.turnRewards.push(step.reward);
    if (step.flagged) this.flagged++;
    if (step.proposals.length > 1) this.revisedSteps++;
    this.revisions += step.proposals.length - 1;
    for (const p of step.proposals) {
      this.proposals++;
      this.actorLatencyMs += p.latencyMs;
      addUsage(this.actorUsage, p.usage);
      const v = p.verdict;
      if (!v) continue;
      this.verdicts++;
      this.criticLatencyMs += v.latencyMs;
      this.maxVerdictMs = Math.max(this.maxVerdictMs ?? -Infinity, v.latencyMs);
      if (v.decision === 'revise') this.reviseVerdicts++;
      if (v.decision === 'error') this.criticErrors++;
      if (isContextOverflow(v)) this.contextOverflows++;
      addUsage(this.criticUsage, v.usage);
    }
  }

  get meanVerdictMs(): number | undefined {
    return this.verdicts ? this.criticLatencyMs / this.verdicts : undefined;
  }
}
