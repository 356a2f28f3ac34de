import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EngineError, ValidationError } from './errors.ts';
import { linkResponseSchema, WorkerLink, type WorkerEndpoint } from './worker-link.ts';

const Progress = z.object({ done: z.number() });

/** A worker as a script: each posted request gets the replies `answer` gives for it. */
class EndpointDouble implements WorkerEndpoint {
  readonly #listeners = new Map<string, Array<(e: Event) => void>>();
  constructor(private readonly answer: (request: { id: string; type: string }) => unknown[]) {}
  postMessage(message: unknown): void {
    const request = z.object({ id: z.string(), type: z.string() }).parse(message);
    queueMicrotask(() => {
      for (const data of this.answer(request)) this.emit('message', new MessageEvent('message', { data }));
    });
  }
  addEventListener(type: string, listener: (e: Event) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  emit(type: string, e: Event): void {
    for (const l of this.#listeners.get(type) ?? []) l(e);
  }
}

describe('WorkerLink.call over linkResponseSchema', () => {
  it('resolves with the result as the caller reads it, after the progress; ignores messages that are not responses', async () => {
    const endpoint = new EndpointDouble(({ id }) => [{ id, type: 'progress', progress: { done: 1 } }, { id, kind: 'noise' }, { id, type: 'result', value: [1, 2, 3] }]);
    const link = new WorkerLink(endpoint, 'test worker', linkResponseSchema(Progress));
    const seen: number[] = [];
    const sum = await link.call({ type: 'sum' }, (v) => z.array(z.number()).parse(v).reduce((a, b) => a + b, 0), (p) => seen.push(p.done));
    expect([sum, seen]).toEqual([6, [1]]);
  });

  it('rejects a call whose result the caller refuses, an error response as its error, and every call once the worker dies', async () => {
    const endpoint = new EndpointDouble(({ id, type }) =>
      type === 'bad' ? [{ id, type: 'result', value: 'x' }] : type === 'fail' ? [{ id, type: 'error', error: { name: 'ValidationError', code: 'validation', message: 'pack.json: tasks: missing' } }] : [],
    );
    const link = new WorkerLink(endpoint, 'test worker', linkResponseSchema(Progress));
    const refuse = (v: unknown): number => {
      if (typeof v !== 'number') throw new ValidationError('test worker result', 'not a number');
      return v;
    };
    await expect(link.call({ type: 'bad' }, refuse)).rejects.toThrow(/test worker result: not a number/);
    await expect(link.call({ type: 'fail' }, refuse)).rejects.toThrow(/pack\.json: tasks: missing/);
    const hanging = link.call({ type: 'never' }, refuse);
    endpoint.emit('error', new Event('error'));
    await expect(hanging).rejects.toBeInstanceOf(EngineError);
    await expect(link.call({ type: 'after' }, refuse)).rejects.toThrow(/test worker crashed/);
  });
});
