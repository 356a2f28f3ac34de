import { buildCriticPrompt } from '../critic/prompt.ts';
import type { VerdictOutput } from '../critic/verdict.ts';
import type { LabelSet, LabelSource } from './labels/label.ts';
import type { DecisionPoint } from './points.ts';

/** One supervision example: the critic's exact prompt at a proposal, and the verdict it should have given. */
export interface TrainingExample {
  key: string;
  episodeId: string;
  environment: string;
  taskKey: string;
  stepIndex: number;
  attempt: number;
  source: LabelSource;
  system: string;
  user: string;
  target: VerdictOutput;
  /** The target as the critic must write it (JSON, decision first). */
  completion: string;
}

/** The verdict JSON a critic emits: decision first; an approval carries nothing else. */
export function verdictText(v: VerdictOutput): string {
  if (v.decision === 'approve') return JSON.stringify({ decision: 'approve' });
  return JSON.stringify({
    decision: 'revise',
    ...(v.category ? { category: v.category } : {}),
    ...(v.feedback ? { feedback: v.feedback } : {}),
  });
}

/** One example per labelled proposal, in the points' order; unlabelled proposals are skipped. */
export function buildExamples(points: readonly DecisionPoint[], labels: LabelSet): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const p of points) {
    const label = labels.get(p.key);
    if (!label) continue;
    const { source, ...verdict } = label;
    const target: VerdictOutput =
      verdict.decision === 'approve'
        ? { decision: 'approve' }
        : { decision: 'revise', ...(verdict.category ? { category: verdict.category } : {}), ...(verdict.feedback ? { feedback: verdict.feedback } : {}) };
    const prompt = buildCriticPrompt(p.input);
    out.push({
      key: p.key,
      episodeId: p.episodeId,
      environment: p.environment,
      taskKey: p.taskKey,
      stepIndex: p.stepIndex,
      attempt: p.attempt,
      source,
      system: prompt.system,
      user: prompt.user,
      target,
      completion: verdictText(target),
    });
  }
  return out;
}
