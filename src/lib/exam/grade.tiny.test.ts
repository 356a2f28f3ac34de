/**
 * Order independence with a real incremental critic: the tiny KV-cache model
 * on transformers.js (Node cpu), behind the critic worker's protocol, grows one critic chat while the history
 * extends, so without `forget` an item's prompt would carry the item graded
 * before it. Two items of the same real episode, graded in order and alone,
 * must get the same prompt.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModels } from '../../../scripts/make-tiny-model.ts';
import type { MessagePort } from 'node:worker_threads';
import { openOnDeviceCritic } from '../setup/on-device.ts';
import { transformersWorkerChannelDouble } from '../../../tests/doubles/transformers-worker-channel.ts';
import { examSet, hasExamSources } from '../../../tests/fixtures/exam-items.ts';
import { gradeExam } from './grade.ts';
import type { ExamItem, ExamRecord } from './schema.ts';

beforeAll(() => {
  makeTinyModels();
});

async function promptTokens(items: readonly ExamItem[]): Promise<ExamRecord[]> {
  const ports: MessagePort[] = [];
  const { engine, critic } = await openOnDeviceCritic(
    { engine: 'transformers', model: 'tiny-critic-kv', dtype: 'fp32', promptStyle: 'incremental', maxNewTokens: 8 },
    {
      transformersWorker: transformersWorkerChannelDouble(ports, { usage: 0, deleted: [] }, { freed: 0, files: 0 }),
      webllmWorker: () => {
        throw new Error('not used');
      },
    },
  );
  await engine.load(() => {});
  try {
    const records: ExamRecord[] = [];
    await gradeExam({ critic, items, onRecord: (r) => void records.push(r), signal: new AbortController().signal });
    return records;
  } finally {
    await engine.unload();
    for (const p of ports) p.close();
  }
}

describe.skipIf(!hasExamSources)('gradeExam with an incremental critic', () => {
  it('grades each item in a fresh critic chat: the same prompt whatever was graded before', async () => {
    const set = await examSet('tau-airline-gpt4o');
    const a = set.find((i, k) => set[k + 1]?.source.episodeId === i.source.episodeId);
    const b = a && set[set.indexOf(a) + 1];
    if (!a || !b) throw new Error('no two items of one episode');
    // Same episode, b later: b's history extends a's, so an incremental critic would extend a's chat.
    expect(a.source.episodeId).toBe(b.source.episodeId);
    const inOrder = await promptTokens([a, b]);
    const alone = await promptTokens([b]);
    expect(inOrder[1]?.promptTokens).toBeGreaterThan(0);
    expect(inOrder[1]?.promptTokens).toBe(alone[0]?.promptTokens);
  }, 120_000);
});
