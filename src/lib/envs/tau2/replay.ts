/**
 * Replays a list of tau2 actions (and optional messages) on a fresh
 * environment, as a live episode would have produced them, then evaluates the
 * trajectory as the original does. The actions-file format is documented in
 * docs/tau2.md.
 */
import { z } from 'zod';
import { isDict, toJs, type PyDict, type PyValue } from '../tau-bench/py.ts';
import type { Tau2Environment, Tau2Message } from './environment.ts';
import { evaluate, type NlJudge, type Tau2Reward } from './evaluator.ts';
import type { Tau2Task } from './tasks.ts';

const ToolStep = z.object({
  requestor: z.enum(['assistant', 'user']).default('assistant'),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()).default({}),
});
const TextStep = z.object({ role: z.enum(['assistant', 'user']), content: z.string() });
export const ReplayStepSchema = z.union([TextStep, ToolStep]);
export type ReplayStep =
  | { kind: 'tool'; requestor: 'assistant' | 'user'; name: string; arguments: PyDict }
  | { kind: 'text'; role: 'assistant' | 'user'; content: string };

/**
 * Validates an actions file parsed with Python's number model (py.ts `parseJson`, so 100.0 stays a
 * float in the arguments); errors name the entry and field.
 */
export function parseReplaySteps(json: PyValue, source: string): ReplayStep[] {
  if (!Array.isArray(json)) throw new Error(`${source}: expected a JSON list of actions`);
  return json.map((raw, i) => {
    const r = ReplayStepSchema.safeParse(toJs(raw));
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new Error(`${source}: entry #${i} field ${issue?.path.join('.') || '(entry)'}: ${issue?.message ?? 'invalid'}`);
    }
    const v = r.data;
    if ('content' in v) return { kind: 'text', role: v.role, content: v.content };
    const args = isDict(raw) ? raw.get('arguments') : undefined;
    return { kind: 'tool', requestor: v.requestor, name: v.name, arguments: args !== undefined && isDict(args) ? args : new Map() };
  });
}

/**
 * The gold replay: the task's actions, then (when the task expects information to be
 * communicated) one assistant message stating each `communicate_info` item.
 */
export function goldSteps(task: Tau2Task): ReplayStep[] {
  const steps: ReplayStep[] = (task.criteria?.actions ?? []).map((a) => ({ kind: 'tool', requestor: a.requestor, name: a.name, arguments: a.arguments }));
  const info = task.criteria?.communicateInfo ?? [];
  if (info.length > 0) steps.push({ kind: 'text', role: 'assistant', content: info.join('\n') });
  return steps;
}

export interface ReplayObservation {
  requestor: 'assistant' | 'user';
  name: string;
  content: string;
  error: boolean;
}
export interface ReplayResult {
  observations: ReplayObservation[];
  trajectory: Tau2Message[];
  dbHash: string;
  userDbHash: string | null;
  reward: Tau2Reward;
}

export async function replay(
  task: Tau2Task,
  steps: ReplayStep[],
  makeEnv: () => Tau2Environment,
  judge: NlJudge | null = null,
): Promise<ReplayResult> {
  const env = makeEnv();
  env.setState(task.initializationActions, []);
  const trajectory: Tau2Message[] = [];
  const observations: ReplayObservation[] = [];
  steps.forEach((step, i) => {
    if (step.kind === 'text') {
      trajectory.push({ role: step.role, content: step.content, toolCalls: null });
      return;
    }
    const call = { id: `call_${i}`, name: step.name, arguments: step.arguments, requestor: step.requestor };
    trajectory.push({ role: step.requestor, content: null, toolCalls: [call] });
    const msg = env.getResponse(call);
    trajectory.push(msg);
    observations.push({ requestor: step.requestor, name: step.name, content: msg.content, error: msg.error });
  });
  const [dbHash, userDbHash] = await Promise.all([env.dbHash(), env.userDbHash()]);
  const reward = await evaluate(task, trajectory, { makeEnv, judge });
  return { observations, trajectory, dbHash, userDbHash, reward };
}
