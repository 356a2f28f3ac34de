/**
 * Replays scripted steps through TravelGym with scripted LLM texts: the
 * faithfulness check against the original (scripts/userbench.ts, parity tests).
 */
import { z } from 'zod';
import { SpotterError } from '../../errors.ts';
import { PyFloat, dumps, type PyValue } from '../tau-bench/py.ts';
import { LlmScriptError, ScriptedTravelLlm } from './llm.ts';
import { TravelGym, formatAction, type TravelGymConfig } from './gym.ts';
import type { UserBenchPrompts } from './prompts.ts';
import type { TravelTask } from './task.ts';

export const ReplayStepSchema = z.object({
  choice: z.string(),
  content: z.string(),
  /** In call order, the raw texts the LLM parts return at this step. */
  llm: z.array(z.string()),
});
export type ReplayStep = z.infer<typeof ReplayStepSchema>;

export interface ReplayResult {
  observations: string[];
  rewards: number[];
  terminated: boolean;
  truncated: boolean;
}

/** The steps do not fit the episode: wrong number of LLM texts, or steps after the end. */
export class ReplayError extends SpotterError {
  override name = 'ReplayError';
  constructor(message: string) {
    super('replay', message);
  }
}

export async function replaySteps(
  task: TravelTask,
  prompts: UserBenchPrompts,
  steps: readonly ReplayStep[],
  config: Partial<TravelGymConfig>,
  llm: ScriptedTravelLlm = new ScriptedTravelLlm(),
): Promise<ReplayResult> {
  const gym = new TravelGym(task, { llmRetryDelayMs: 0, ...config }, llm.call, prompts);
  const out: ReplayResult = { observations: [], rewards: [], terminated: false, truncated: false };
  for (const [i, step] of steps.entries()) {
    const n = step.llm.length;
    if (out.terminated || out.truncated) {
      throw new ReplayError(`step ${i}: the episode already ended at step ${i - 1} (${out.terminated ? 'terminated' : 'truncated'})`);
    }
    llm.load(step.llm);
    let result;
    try {
      result = await gym.step(formatAction(step.choice, step.content));
    } catch (err) {
      if (err instanceof LlmScriptError) throw new ReplayError(`step ${i}: needs more than the ${n} scripted LLM text(s) given (${err.message})`);
      throw err;
    }
    if (llm.remaining > 0) throw new ReplayError(`step ${i}: used ${n - llm.remaining} of the ${n} scripted LLM text(s) given`);
    out.observations.push(result.observation);
    out.rewards.push(result.reward);
    out.terminated = result.terminated;
    out.truncated = result.truncated;
  }
  return out;
}

/** The result as the original harness printed it: json.dumps of observations, rewards (floats), terminated, truncated. */
export function replayLine(result: ReplayResult): string {
  return dumps(
    new Map<string, PyValue>([
      ['observations', result.observations],
      ['rewards', result.rewards.map((r) => new PyFloat(r))],
      ['terminated', result.terminated],
      ['truncated', result.truncated],
    ]),
  );
}
