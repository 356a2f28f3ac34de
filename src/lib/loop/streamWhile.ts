/**
 * Runs `call` and yields, in order, what it emits while it runs, then returns
 * its result (or throws its error). It bridges a callback (an actor's streamed
 * text) into the loop's event stream without ever blocking the call: what it
 * emits while the consumer is busy waits in a queue. Closing the generator
 * early (a consumer that stops reading) aborts the call, so nothing is left
 * running behind a finished episode.
 */
export async function* streamWhile<E, T>(
  signal: AbortSignal,
  call: (emit: (item: E) => void, signal: AbortSignal) => Promise<T>,
): AsyncGenerator<E, T, undefined> {
  const queue: E[] = [];
  let wake: (() => void) | undefined;
  let settled = false;
  const abandoned = new AbortController();
  const emit = (item: E): void => {
    if (settled) return; // the reply is in: late text belongs to nothing
    queue.push(item);
    wake?.();
  };
  let result: Promise<T>;
  try {
    result = call(emit, AbortSignal.any([signal, abandoned.signal]));
  } catch (err) {
    result = Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  const settle = (): void => {
    settled = true;
    wake?.();
  };
  result.then(settle, settle);
  try {
    for (;;) {
      while (queue.length > 0) yield* queue.splice(0);
      if (settled) return await result;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!settled) abandoned.abort();
  }
}
