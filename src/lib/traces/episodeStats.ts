import { costOf, mergeUsage, type CostSummary, type PriceTable } from '../runs/cost.ts';
import type { UsageEntry } from '../runs/record.ts';
import { sumUsage, type Usage } from '../types.ts';
import type { EpisodeTrace } from './schema.ts';

export interface EpisodeStats {
  steps: number;
  proposals: number;
  /** Steps where the critic sent a proposal back and the actor revised it. */
  revisedSteps: number;
  /** Revise verdicts in all (in monitor mode: objections that did not block). */
  reviseVerdicts: number;
  flagged: number;
  actorUsage: Usage;
  criticUsage: Usage;
  verdicts: number;
  meanVerdictMs: number | undefined;
  maxVerdictMs: number | undefined;
  durationMs: number | undefined;
}

/** Totals for the episode view header: tokens per side and verdict latency. */
export function episodeStats(t: EpisodeTrace): EpisodeStats {
  let steps = 0;
  let proposals = 0;
  let revisedSteps = 0;
  let reviseVerdicts = 0;
  let flagged = 0;
  const actor: Array<Usage | undefined> = [];
  const critic: Array<Usage | undefined> = [];
  const latencies: number[] = [];
  for (const e of t.timeline) {
    if (e.type !== 'step') continue;
    steps++;
    if (e.step.flagged) flagged++;
    if (e.step.proposals.length > 1) revisedSteps++;
    for (const p of e.step.proposals) {
      proposals++;
      actor.push(p.usage);
      if (!p.verdict) continue;
      critic.push(p.verdict.usage);
      latencies.push(p.verdict.latencyMs);
      if (p.verdict.decision === 'revise') reviseVerdicts++;
    }
  }
  const n = latencies.length;
  return {
    steps,
    proposals,
    revisedSteps,
    reviseVerdicts,
    flagged,
    actorUsage: sumUsage(actor),
    criticUsage: sumUsage(critic),
    verdicts: n,
    meanVerdictMs: n ? latencies.reduce((a, b) => a + b, 0) / n : undefined,
    maxVerdictMs: n ? Math.max(...latencies) : undefined,
    durationMs: t.endedAt !== undefined ? t.endedAt - t.createdAt : undefined,
  };
}

/** Token use by role and model, as the benchmark's cost table prices it. */
export function usageEntries(t: EpisodeTrace): UsageEntry[] {
  const out: UsageEntry[] = [];
  for (const e of t.timeline) {
    if (e.type !== 'step') continue;
    for (const p of e.step.proposals) {
      if (p.usage) out.push({ role: 'actor', model: t.meta.actor, ...p.usage });
      const v = p.verdict;
      if (!v?.usage) continue;
      // A remote critic is priced by its model; every other engine runs in the browser and costs nothing.
      out.push(v.engine === 'remote' && v.model ? { role: 'critic', model: v.model, ...v.usage } : { role: 'critic', model: v.critic, local: true, ...v.usage });
    }
  }
  return mergeUsage(out);
}

export function episodeCost(t: EpisodeTrace, prices: PriceTable): CostSummary {
  return costOf(usageEntries(t), prices);
}
