import type { EpisodeLocks } from '../../src/lib/traces/liveness.ts';

/** Web Locks as the browser keeps them: a lock is held until its callback's promise settles. */
export class LocksDouble implements EpisodeLocks {
  readonly #held = new Set<string>();
  request(name: string, callback: () => Promise<void>): Promise<unknown> {
    this.#held.add(name);
    return callback().finally(() => this.#held.delete(name));
  }
  query(): Promise<{ held: Array<{ name: string }> }> {
    return Promise.resolve({ held: [...this.#held].map((name) => ({ name })) });
  }
}
