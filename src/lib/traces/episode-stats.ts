import { costOf, type CostSummary, type PriceTable } from '../pricing.ts';
import type { Usage } from '../contracts.ts';
import { mergeUsage, usageEntry, type UsageEntry } from '../usage.ts';
import { EpisodeTally } from './episode-tally.ts';
import type { EpisodeTrace } from './schema.ts';

interface EpisodeStats {
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
  const tally = new EpisodeTally();
  for (const e of t.timeline) if (e.type === 'step') tally.addStep(e.step);
  return {
    steps: tally.steps,
    proposals: tally.proposals,
    revisedSteps: tally.revisedSteps,
    reviseVerdicts: tally.reviseVerdicts,
    flagged: tally.flagged,
    actorUsage: tally.actorUsage,
    criticUsage: tally.criticUsage,
    verdicts: tally.verdicts,
    meanVerdictMs: tally.meanVerdictMs,
    maxVerdictMs: tally.maxVerdictMs,
    durationMs: t.endedAt !== undefined ? t.endedAt - t.createdAt : undefined,
  };
}

/** Token use by role and model, as the benchmark's cost table prices it. */
export function usageEntries(t: EpisodeTrace): UsageEntry[] {
  const out: UsageEntry[] = [];
  for (const e of t.timeline) {
    if (e.type !== 'step') continue;
    for (const p of e.step.proposals) {
      // Priced from {engine, model}: an on-device actor costs nothing (its `actor` is a label no price table has).
      if (p.usage) out.push(usageEntry('actor', { engine: t.meta.actorEngine ?? 'openai-compatible', model: t.meta.actor }, p.usage));
      const v = p.verdict;
      if (!v?.usage) continue;
      // Priced from {engine, model} too: a remote critic by its model; an on-device one (or one whose engine is unknown) costs nothing.
      out.push(v.engine && v.model ? usageEntry('critic', { engine: v.engine, model: v.model }, v.usage) : { role: 'critic', model: v.critic, local: true, ...v.usage });
    }
  }
  return mergeUsage(out);
}

export function episodeCost(t: EpisodeTrace, prices: PriceTable): CostSummary {
  return costOf(usageEntries(t), prices);
}
