import type { EpisodeTrace } from '../traces/schema.ts';

/**
 * Why the label sources give no training example from these episodes, and
 * which source would: outcome and intervention labels both need episodes
 * that passed (reward 1), which a policy chat, having no score, never has.
 * Undefined when there are no episodes at all (nothing to explain) .
 */
export function whyNoExamples(
  traces: readonly EpisodeTrace[],
  sources: { outcome: boolean; interventions: boolean; teacher: boolean },
): string | undefined {
  if (traces.length === 0) return undefined;
  const scored = traces.filter((t) => t.reward !== undefined);
  const passed = scored.filter((t) => (t.reward ?? 0) >= 1);
  const withInterventions = traces.filter((t) => t.timeline.some((e) => e.type === 'step' && e.step.proposals.some((p) => p.verdict?.decision === 'revise')));
  const parts: string[] = [];
  if (scored.length === 0) {
    parts.push(`None of the ${traces.length} episodes has a score (policy chats and UserBench chats without a reward are never scored), so no episode passed.`);
  } else if (passed.length === 0) {
    parts.push(`None of the ${scored.length} scored episodes passed.`);
  }
  if (!sources.outcome && !sources.interventions && !sources.teacher) parts.push('Every label source is off.');
  if (sources.outcome || sources.interventions) parts.push('Outcome and intervention labels come only from passed episodes (tau-bench tasks, with their gold actions).');
  const fixes: string[] = [];
  if (withInterventions.length > 0) fixes.push(`a teacher (below) can label the proposals of all ${traces.length} episodes, including the ${withInterventions.length} with interventions`);
  else fixes.push(`a teacher (below) can label the proposals of all ${traces.length} episodes`);
  if (scored.length === 0) fixes.push('or run tau-bench tasks (Chat with a tau-bench task, or the Benchmark tab) to get scored episodes');
  return `${parts.join(' ')} To get examples: ${fixes.join(', ')}.`;
}
