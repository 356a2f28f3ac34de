import type { Actor } from '../../actor/actor-interface.ts';
import { criticPrompt } from '../../critic/prompt.ts';
import { verdictFromText } from '../../critic/verdict.ts';
import type { Critic, CriticInput } from '../../critic/critic-interface.ts';
import type { Verdict } from '../../contracts.ts';
import type { DecisionPoint } from '../points.ts';
import { rejudge, type RejudgeOptions } from '../rejudge.ts';
import type { LabelSet } from './label.ts';

interface TeacherResult {
  labels: LabelSet;
  /** Proposals the teacher gave no usable verdict for. */
  unparsed: number;
  errors: number;
}

/**
 * Teacher labels: a large model, wrapped as a Critic (RemoteCritic over the
 * user's API), judges every proposal from exactly the critic's input; its
 * approve/revise verdict, feedback included, is the target. Unparsed and
 * failed verdicts give no label and are counted.
 */
export async function teacherLabels(points: readonly DecisionPoint[], teacher: Critic, opts: RejudgeOptions): Promise<TeacherResult> {
  const verdicts = await rejudge(points, teacher, opts);
  const labels: LabelSet = new Map();
  let unparsed = 0;
  let errors = 0;
  for (const [key, v] of verdicts) {
    if (v.decision === 'approve') labels.set(key, { decision: 'approve', source: 'teacher' });
    else if (v.decision === 'revise' && v.feedback) {
      labels.set(key, { decision: 'revise', ...(v.category ? { category: v.category } : {}), feedback: v.feedback, source: 'teacher' });
    } else if (v.decision === 'error') errors++;
    else unparsed++;
  }
  return { labels, unparsed, errors };
}

/**
 * Any actor client (the benchmark's agent model, say) as a teacher: it gets
 * the critic's exact prompt and its reply is parsed as a verdict, strictly.
 */
export function criticFromActor(actor: Actor, label = `teacher:${actor.label}`): Critic {
  return {
    label,
    async judge(input: CriticInput, signal: AbortSignal): Promise<Verdict> {
      const { prompt } = criticPrompt(input);
      const reply = await actor.propose({ system: prompt.system, messages: [{ role: 'user', content: prompt.user }], tools: [] }, signal);
      const text = reply.action.kind === 'message' ? reply.action.content : (reply.action.content ?? '');
      return verdictFromText(text, label, reply.latencyMs, reply.usage);
    },
  };
}
