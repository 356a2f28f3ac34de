import { AbortedError } from '../errors.ts';
import type { UserSide, UserTurn } from './env-interface.ts';

/**
 * The person in the browser as the user side: the loop awaits their next
 * turn, which the UI hands in with `say` (or `end` to finish the episode).
 */
export class HumanUser implements UserSide {
  readonly kind = 'human';
  #waiting: { resolve: (t: UserTurn) => void; reject: (e: unknown) => void } | undefined;
  #queued: UserTurn[] = [];

  /** True while the loop is waiting for the person to type. */
  get awaitingInput(): boolean {
    return this.#waiting !== undefined;
  }

  say(content: string): void {
    this.#deliver({ content, stop: false });
  }

  end(): void {
    this.#deliver({ content: '(The user ended the conversation.)', stop: true });
  }

  first(signal: AbortSignal): Promise<UserTurn> {
    return this.#next(signal);
  }

  reply(_agentMessage: string, signal: AbortSignal): Promise<UserTurn> {
    return this.#next(signal);
  }

  #deliver(turn: UserTurn): void {
    const w = this.#waiting;
    if (w) {
      this.#waiting = undefined;
      w.resolve(turn);
    } else this.#queued.push(turn);
  }

  #next(signal: AbortSignal): Promise<UserTurn> {
    const queued = this.#queued.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new AbortedError());
      const onAbort = () => {
        this.#waiting = undefined;
        reject(new AbortedError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting = {
        resolve: (t) => {
          signal.removeEventListener('abort', onAbort);
          resolve(t);
        },
        reject,
      };
    });
  }
}
