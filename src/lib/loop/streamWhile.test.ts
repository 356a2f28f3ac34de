import { describe, expect, it } from 'vitest';
import { streamWhile } from './streamWhile.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function drain<E, T>(gen: AsyncGenerator<E, T, undefined>): Promise<{ items: E[]; result: T }> {
  const items: E[] = [];
  for (;;) {
    const next = await gen.next();
    if (next.done) return { items, result: next.value };
    items.push(next.value);
  }
}

describe('streamWhile', () => {
  it('yields what the call emits, in order, then returns its result', async () => {
    const out = await drain(
      streamWhile<number, string>(new AbortController().signal, async (emit) => {
        emit(1);
        await tick();
        emit(2);
        emit(3);
        await tick();
        return 'reply';
      }),
    );
    expect(out).toEqual({ items: [1, 2, 3], result: 'reply' });
  });

  it('a call that emits nothing is just awaited', async () => {
    expect(await drain(streamWhile<number, string>(new AbortController().signal, async () => 'plain'))).toEqual({ items: [], result: 'plain' });
  });

  it('hands over what was emitted before a failure, then throws it', async () => {
    const gen = streamWhile<string, never>(new AbortController().signal, async (emit) => {
      emit('half a rep');
      await tick();
      throw new Error('stream cut');
    });
    await expect(gen.next()).resolves.toEqual({ done: false, value: 'half a rep' });
    await expect(gen.next()).rejects.toThrow('stream cut');
  });

  it('a call that throws before it starts is an error of the generator, not of the caller', async () => {
    const gen = streamWhile<string, string>(new AbortController().signal, () => {
      throw new Error('no client');
    });
    await expect(gen.next()).rejects.toThrow('no client');
  });

  it('drops what is emitted after the result is in', async () => {
    let late: ((n: number) => void) | undefined;
    const out = await drain(
      streamWhile<number, string>(new AbortController().signal, async (emit) => {
        late = emit;
        emit(1);
        return 'done';
      }),
    );
    late?.(2);
    expect(out).toEqual({ items: [1], result: 'done' });
  });

  it('passes the caller abort through, and aborts the call when the reader leaves early', async () => {
    const outer = new AbortController();
    let seen: AbortSignal | undefined;
    const gen = streamWhile<number, string>(outer.signal, (emit, signal) => {
      seen = signal;
      emit(1);
      return new Promise(() => undefined);
    });
    await gen.next();
    expect(seen?.aborted).toBe(false);
    await gen.return('left' as never);
    expect(seen?.aborted).toBe(true);
    expect(outer.signal.aborted).toBe(false);

    const outer2 = new AbortController();
    const gen2 = streamWhile<number, string>(outer2.signal, (_emit, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))));
    const first = gen2.next();
    outer2.abort();
    await expect(first).rejects.toThrow('aborted');
  });
});
