/**
 * Runs `call` and yields, in order, what it emits while it runs, then returns
 * its result (or throws its error). It bridges a callback (an actor's streamed
 * text) into the loop's event stream without ever blocking the call: what it
 * emits while the consumer is busy waits in a queue. Cancelling is the
 * caller's signal's job, as everywhere in the loop: a reader that stops early
 * leaves the call to finish on its own (its result or error is then dropped).
 */
export async function* streamWhile<E, T>(call: (emit: (item: E) => void) => Promise<T>): AsyncGenerator<E, T, undefined> {
  const queue: E[] = [];
  let wake: (() => void) | undefined;
  let settled = false;
  const emit = (item: E): void => {
    if (settled) return; // the reply is in: late text belongs to nothing
    queue.push(item);
    wake?.();
  };
  let result: Promise<T>;
  try {
    result = call(emit);
  } catch (err) {
    result = Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  const settle = (): void => {
    settled = true;
    wake?.();
  };
  // Also marks a failure as handled while the reader is busy elsewhere; it is rethrown below.
  result.then(settle, settle);
  for (;;) {
    while (queue.length > 0) yield* queue.splice(0);
    if (settled) return await result;
    await new Promise<void>((resolve) => (wake = resolve));
  }
}
