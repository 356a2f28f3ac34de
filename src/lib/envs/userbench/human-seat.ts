/**
 * A person in UserBench's user seat (for demos): the judges still run on the
 * model, but whenever the simulated user would speak, the person does. They
 * are told what the gym wants from this reply: reveal a preference the agent
 * asked for, volunteer one after off-topic turns, or just answer naturally.
 * Their text goes back to the gym as the simulated user's JSON reply.
 */
import { AbortedError } from '../../errors.ts';
import type { TravelLlm, TravelLlmMessage } from './llm.ts';
import type { UserBenchPrompts } from './prompts.ts';

export interface SeatRequest {
  /** reveal: the agent asked about a preference you have; volunteer: bring one up yourself; natural: reveal nothing. */
  kind: 'reveal' | 'volunteer' | 'natural';
  /** The preference to bring out (P1, P2, …), for reveal and volunteer. */
  preferenceId?: string;
}

/** Which of the simulated user's prompts a call uses, read from its system message. */
function seatRequestOf(messages: readonly TravelLlmMessage[], prompts: UserBenchPrompts): SeatRequest {
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  const preferenceId = /Preference ID: (P\d+)\t/.exec(user)?.[1];
  const kind = system === prompts.responsePreference.system ? 'reveal' : system === prompts.responseElicit.system ? 'volunteer' : 'natural';
  return kind !== 'natural' && preferenceId ? { kind, preferenceId } : { kind: 'natural' };
}

export class HumanTravelSeat {
  #waiting: { resolve: (text: string) => void; request: SeatRequest } | undefined;

  constructor(
    private readonly prompts: UserBenchPrompts,
    /** Told when the seat starts or stops waiting for the person. */
    private readonly onChange: (request: SeatRequest | undefined) => void = () => undefined,
  ) {}

  /** What the person is asked for now, if anything. */
  get pending(): SeatRequest | undefined {
    return this.#waiting?.request;
  }

  /** The person's reply. */
  say(text: string): void {
    const w = this.#waiting;
    if (!w) return;
    this.#waiting = undefined;
    this.onChange(undefined);
    w.resolve(JSON.stringify({ response: text }));
  }

  /** The gym's LLM: the judges on `model`, the user's replies from the person. */
  llm(model: TravelLlm): TravelLlm {
    return (messages, purpose, signal) => {
      if (purpose !== 'user-reply') return model(messages, purpose, signal);
      const request = seatRequestOf(messages, this.prompts);
      return new Promise<string>((resolve, reject) => {
        if (signal?.aborted) return reject(new AbortedError());
        signal?.addEventListener(
          'abort',
          () => {
            this.#waiting = undefined;
            this.onChange(undefined);
            reject(new AbortedError());
          },
          { once: true },
        );
        this.#waiting = { resolve, request };
        this.onChange(request);
      });
    };
  }
}
