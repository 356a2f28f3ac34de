/**
 * The LLM parts of TravelGym (search judge, utterance judge, simulated user)
 * as one injected function, so the app calls a provider and replay scripts it.
 */
import { SpotterError } from '../../errors.ts';

export interface TravelLlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What the call is for; the original uses one model for all three. */
export type TravelLlmPurpose = 'search-judge' | 'utterance-judge' | 'user-reply';

/** One LLM call (judge or simulated user); returns the raw text. Injected so replay can script it. */
export type TravelLlm = (messages: TravelLlmMessage[], purpose: TravelLlmPurpose, signal?: AbortSignal) => Promise<string>;

/** One LLM call as a step made it: the raw text, or the error it failed with. Enough to replay the step exactly. */
export interface LlmCallRecord {
  purpose: TravelLlmPurpose;
  text?: string;
  error?: string;
}

/**
 * A scripted LLM ran out of (or was left with unused) answers. The gym never
 * counts this as a model failure: it ends the step, so a replay cannot drift.
 */
export class LlmScriptError extends SpotterError {
  override name = 'LlmScriptError';
  constructor(message: string) {
    super('llm-script', message);
  }
}

/** An LLM that answers with the given texts in order and records each call. */
export class ScriptedTravelLlm {
  private queue: string[] = [];
  readonly calls: { messages: TravelLlmMessage[]; purpose: TravelLlmPurpose }[] = [];

  /** Sets the answers for the next step; the previous step's must all have been used. */
  load(answers: readonly string[]): void {
    this.queue = [...answers];
  }

  /** The answers not used yet. */
  get remaining(): number {
    return this.queue.length;
  }

  readonly call: TravelLlm = (messages, purpose) => {
    this.calls.push({ messages, purpose });
    const next = this.queue.shift();
    if (next === undefined) return Promise.reject(new LlmScriptError(`no scripted LLM text left for the ${purpose} call`));
    return Promise.resolve(next);
  };
}

/**
 * A person in the user's seat (Chat tab): their words as the reply text the
 * simulated user's prompt asks for, so the gym treats them as the LLM's.
 * The judges still run on the model.
 */
export function humanUserReply(words: string): string {
  return JSON.stringify({ thought: '(typed by a person)', response: words });
}
