/**
 * The TravelLlm a UserBench episode's gym holds: it keeps, step by step, the
 * raw text every LLM part returned (null for a call that failed), so the
 * trace can replay the step without calling a model: a resumed episode
 * rebuilds the gym's state from these, exactly as the replay CLI does.
 */
import { z } from 'zod';
import { errorMessage, ValidationError } from '../../errors.ts';
import type { Step } from '../../contracts.ts';
import { LlmScriptError, type TravelLlm } from './llm.ts';

/** One LLM call of one step: its purpose and what came back (null: the call threw). */
export interface LlmCallRecord {
  purpose: Parameters<TravelLlm>[1];
  output: string | null;
  error?: string;
}

export class RecordingTravelLlm {
  #replay: LlmCallRecord[][];
  #scripted: LlmCallRecord[] | undefined;
  #current: LlmCallRecord[] = [];

  /** `replay`: the recorded calls of the steps to replay first, one list per step. */
  constructor(
    private readonly inner: TravelLlm,
    replay: readonly LlmCallRecord[][] = [],
  ) {
    this.#replay = replay.map((s) => [...s]);
  }

  /** Steps still to be replayed from the record. */
  get replaying(): number {
    return this.#replay.length;
  }

  readonly llm: TravelLlm = async (messages, purpose, signal) => {
    if (this.#scripted) {
      const next = this.#scripted.shift();
      // A script error, never a model failure: the gym ends the step instead of retrying or judging N/A.
      if (!next) throw new LlmScriptError(`replay: the recorded step has no more LLM outputs (a ${purpose} call was made)`);
      this.#current.push(next);
      if (next.output === null) throw new Error(next.error ?? 'recorded LLM failure');
      return next.output;
    }
    try {
      const output = await this.inner(messages, purpose, signal);
      this.#current.push({ purpose, output });
      return output;
    } catch (err) {
      if (!signal?.aborted) this.#current.push({ purpose, output: null, error: errorMessage(err) });
      throw err;
    }
  };

  /** Starts a step: the next recorded step is replayed, if any is left. */
  beginStep(): void {
    this.#current = [];
    this.#scripted = this.#replay.shift();
  }

  /** Ends a step and hands back its calls. */
  endStep(): LlmCallRecord[] {
    const calls = this.#current;
    this.#current = [];
    this.#scripted = undefined;
    return calls;
  }
}

const LlmCallRecordSchema = z.object({
  purpose: z.enum(['search-judge', 'utterance-judge', 'user-reply']),
  output: z.string().nullable(),
  error: z.string().optional(),
});

/**
 * The recorded LLM calls of a stored episode's gym steps, in order, to replay
 * them on resume. Steps that never reached the gym (no `llm` record) are skipped,
 * as they were when the episode ran.
 */
/** `timeline`: a stored trace's entries (typed structurally: envs sit below the loop that defines them). */
export function recordedLlmCalls(timeline: readonly { type: string; step?: Step }[]): LlmCallRecord[][] {
  const out: LlmCallRecord[][] = [];
  for (const entry of timeline) {
    if (entry.type !== 'step' || !entry.step) continue;
    const llm = entry.step.envInfo?.['llm'];
    if (llm === undefined) continue;
    const r = z.array(LlmCallRecordSchema).safeParse(llm);
    if (!r.success) throw new ValidationError(`stored step ${entry.step.index + 1}`, 'its recorded LLM outputs are malformed; the episode cannot be replayed');
    out.push(r.data.map((c) => ({ purpose: c.purpose, output: c.output, ...(c.error !== undefined ? { error: c.error } : {}) })));
  }
  return out;
}
