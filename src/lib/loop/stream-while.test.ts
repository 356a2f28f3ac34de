import { describe, expect, it } from 'vitest';
import { streamWhile } from './stream-while.ts';

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
      streamWhile<number, string>(async (emit) => {
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
    expect(await drain(streamWhile<number, string>(async () => 'plain'))).toEqual({ items: [], result: 'plain' });
  });

  it('hands over what was emitted before a failure, then throws it', async () => {
    const gen = streamWhile<string, never>(async (emit) => {
      emit('half a rep');
      await tick();
      throw new Error('stream cut');
    });
    await expect(gen.next()).resolves.toEqual({ done: false, value: 'half a rep' });
    await expect(gen.next()).rejects.toThrow('stream cut');
  });

  it('a call that throws before it starts is an error of the generator, not of the caller', async () => {
    const gen = streamWhile<string, string>(() => {
      throw new Error('no client');
    });
    await expect(gen.next()).rejects.toThrow('no client');
  });

  it('drops what is emitted after the result is in', async () => {
    let late: ((n: number) => void) | undefined;
    const out = await drain(
      streamWhile<number, string>(async (emit) => {
        late = emit;
        emit(1);
        return 'done';
      }),
    );
    late?.(2);
    expect(out).toEqual({ items: [1], result: 'done' });
  });

  it('a reader that stops early leaves the call to finish, its late failure handled', async () => {
    let fail: ((err: Error) => void) | undefined;
    const gen = streamWhile<number, string>((emit) => {
      emit(1);
      return new Promise((_, reject) => (fail = reject));
    });
    await expect(gen.next()).resolves.toEqual({ done: false, value: 1 });
    await expect(gen.return('left')).resolves.toEqual({ done: true, value: 'left' });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    fail?.(new Error('provider gave up'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
});
