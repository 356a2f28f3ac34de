import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodePackSource } from '../envs/tau-bench/pack-node.ts';
import { ExamWorkerHandler } from './worker-handler.ts';
import { EpisodeListSchema, EpisodeResultSchema, SetResultSchema, type ExamWorkerResponse } from './worker-protocol.ts';

const PACK = resolve(import.meta.dirname, '../../../../shared/tau-bench');
const location = { kind: 'url' as const, baseUrl: 'http://127.0.0.1/tau-bench/' };

function setup() {
  const posted: ExamWorkerResponse[] = [];
  let reads = 0;
  const handler = new ExamWorkerHandler({
    post: (m) => posted.push(structuredClone(m)),
    packSource: () => nodePackSource(PACK),
    historical: async (_l, onProgress) => {
      reads++;
      onProgress({ text: 'reading', fraction: 1 });
      return readFile(resolve(PACK, 'historical/gpt-4o-airline.json'), 'utf8');
    },
  });
  const result = (id: string): unknown => {
    const r = posted.find((m) => m.id === id && m.type !== 'progress');
    if (r?.type !== 'result') throw new Error(`no result for ${id}: ${JSON.stringify(r)}`);
    return r.value;
  };
  return { handler, posted, result, reads: () => reads };
}

describe('ExamWorkerHandler on the real pack and GPT-4o file', () => {
  it('builds quick, lists the 200 episodes and gives one with its items, reading the file once', async () => {
    const { handler, posted, result, reads } = setup();
    await handler.handle({ id: 'a', type: 'set', location, set: 'quick' });
    const quick = SetResultSchema.parse(result('a'));
    expect(quick.length).toBe(60);
    expect(posted.some((m) => m.id === 'a' && m.type === 'progress')).toBe(true);
    await handler.handle({ id: 'b', type: 'episodes', location });
    const list = EpisodeListSchema.parse(result('b'));
    expect(list.length).toBe(200);
    expect(list[0]).toMatchObject({ id: 'tau-bench/airline/0/0', taskId: 0, trial: 0 });
    // The episode of one quick item carries that item (unless it is a mutation, which stays out of the watch view).
    const real = quick.find((i) => !i.source.mutation && i.source.episodeId);
    if (!real?.source.episodeId) throw new Error('no real item in quick');
    await handler.handle({ id: 'c', type: 'episode', location, episodeId: real.source.episodeId });
    const ep = EpisodeResultSchema.parse(result('c'));
    expect(ep.trace.id).toBe(real.source.episodeId);
    expect(ep.tools.map((t) => t.function.name)).toContain('book_reservation');
    expect(ep.items.map((i) => i.id)).toContain(real.id);
    expect(ep.items.every((i) => i.source.episodeId === real.source.episodeId && i.set === 'tau-airline-gpt4o')).toBe(true);
    expect(reads()).toBe(1);
  }, 60_000);

  it('answers a bad request and an unknown episode with errors, never throwing', async () => {
    const { handler, posted } = setup();
    await handler.handle({ id: 'x', type: 'set', location, set: 'no-such-set' });
    await handler.handle({ id: 'y', type: 'episode', location, episodeId: 'tau-bench/airline/99/9' });
    await handler.handle('junk');
    const errors = posted.filter((m) => m.type === 'error');
    expect(errors.map((m) => m.id)).toEqual(['x', 'y', 'unknown']);
    expect(errors[1]?.type === 'error' && errors[1].error.message).toMatch(/No episode tau-bench\/airline\/99\/9/);
  }, 60_000);
});
