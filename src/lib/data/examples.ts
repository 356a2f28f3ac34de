import { budgetForWindow, criticPrompt, estimateTokens } from '../critic/prompt.ts';
import type { CriticInput } from '../critic/critic-interface.ts';
import type { VerdictOutput } from '../critic/verdict.ts';
import type { LabelSet, LabelSource } from './labels/label.ts';
import type { DecisionPoint } from './points.ts';

/**
 * One supervision example: the critic's exact input at a proposal, and the
 * verdict it should have given. The prompt text is rebuilt when written out
 * (`examplePrompt`) rather than held: each repeats the whole policy, and a
 * benchmark run yields tens of thousands of examples. Its place and input are
 * the decision point's (points.ts).
 */
export interface TrainingExample extends Pick<DecisionPoint, 'key' | 'episodeId' | 'environment' | 'taskKey' | 'stepIndex' | 'attempt' | 'input'> {
  source: LabelSource;
  /** Fingerprint of the prompt text, for deduplication. */
  promptHash: string;
  target: VerdictOutput;
  /** The target as the critic must write it (JSON, decision first). */
  completion: string;
}

/**
 * The exact text the critic sees for this example (criticPrompt, as at
 * run time). With `contextWindow`, the prompt budget shortens it as it would
 * for a critic with that window (counted with the documented estimate), so a
 * fine-tuned critic sees in training what it sees at run time.
 */
export function examplePrompt(e: Pick<TrainingExample, 'input'>, contextWindow?: number): { system: string; user: string } {
  return criticPrompt(e.input, contextWindow ? budgetForWindow(contextWindow, estimateTokens) : undefined).prompt;
}

/** cyrb53 (a fast 53-bit string hash built on Math.imul). */
function cyrb53(s: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A 106-bit fingerprint (cyrb53 under two seeds) as hex: collisions among millions of prompts are negligible. */
export function fingerprint(s: string): string {
  return cyrb53(s, 0).toString(16).padStart(14, '0') + cyrb53(s, 0x9e3779b9).toString(16).padStart(14, '0');
}

const fingerprints = new WeakMap<CriticInput, string>();

/** Cached per input object, so re-running the pipeline with other options does not rebuild every prompt. */
function promptFingerprint(input: CriticInput): string {
  let h = fingerprints.get(input);
  if (h === undefined) {
    const p = criticPrompt(input).prompt;
    h = fingerprint(`${p.system}\u0000${p.user}`);
    fingerprints.set(input, h);
  }
  return h;
}

/** The verdict JSON a critic emits: decision first; an approval carries nothing else. */
function verdictText(v: VerdictOutput): string {
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
    out.push({
      key: p.key,
      episodeId: p.episodeId,
      environment: p.environment,
      taskKey: p.taskKey,
      stepIndex: p.stepIndex,
      attempt: p.attempt,
      source,
      input: p.input,
      promptHash: promptFingerprint(p.input),
      target,
      completion: verdictText(target),
    });
  }
  return out;
}
