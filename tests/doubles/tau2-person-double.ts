import { AbortedError } from '../../src/lib/errors.ts';
import type { UserSide, UserTurn } from '../../src/lib/envs/env-interface.ts';
import type { Tau2HumanSeat } from '../../src/lib/envs/tau2/human-seat.ts';

/** One turn of the person's: the phone buttons they press (in order), then what they say; without `say` they never answer (the tab closes). */
export interface PersonTurn {
  press?: Array<{ name: string; arguments: Record<string, unknown> }>;
  say?: string;
}

/**
 * A person in a τ³ user's seat, scripted: during each turn they press their
 * phone's buttons through the seat (as Tau2UserTools does), then answer. When
 * the script runs out they press End, as the Chat tab's button does.
 */
export class ScriptedPersonDouble implements UserSide {
  readonly kind = 'human';
  /** The seat around this person, whose phone the buttons act on. */
  seat: Tau2HumanSeat | undefined;

  constructor(private readonly turns: PersonTurn[]) {}

  first(signal: AbortSignal): Promise<UserTurn> {
    return this.#turn(signal);
  }

  reply(_agentMessage: string, signal: AbortSignal): Promise<UserTurn> {
    return this.#turn(signal);
  }

  #turn(signal: AbortSignal): Promise<UserTurn> {
    const t = this.turns.shift();
    if (!t) return Promise.resolve({ content: '(The user ended the conversation.)', stop: true });
    for (const p of t.press ?? []) {
      if (!this.seat) throw new Error('ScriptedPersonDouble: no seat to press buttons on');
      this.seat.useTool(p.name, p.arguments);
    }
    if (t.say !== undefined) return Promise.resolve({ content: t.say, stop: false });
    return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new AbortedError()), { once: true }));
  }
}
