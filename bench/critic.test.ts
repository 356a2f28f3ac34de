import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModels } from '../scripts/make-tiny-model.ts';
import { benchCritic, formatCriticBench, syntheticEpisode } from './critic.ts';

beforeAll(() => {
  makeTinyModels();
});

describe('benchCritic (tiny model, real onnxruntime)', () => {
  it('prefills far fewer tokens per step with prefix reuse, with the same verdicts', async () => {
    const rows = await benchCritic({ modelsDir: `${resolve(import.meta.dirname, '../.fixtures/models')}/`, stepCounts: [10] });
    const off = rows.find((r) => !r.reuse);
    const on = rows.find((r) => r.reuse && r.promptStyle === 'single-turn');
    const chat = rows.find((r) => r.promptStyle === 'incremental' && !r.prepared);
    const prepared = rows.find((r) => r.prepared);
    expect(off?.prefillPerStep).toBe(off?.promptPerStep);
    expect(on?.promptPerStep).toBe(off?.promptPerStep);
    expect((on?.prefillPerStep ?? Infinity) * 3).toBeLessThan(off?.prefillPerStep ?? 0);
    // The incremental chat extends the cached tokens exactly: the reuse that also works on WebGPU.
    expect((chat?.prefillPerStep ?? Infinity) * 5).toBeLessThan(chat?.promptPerStep ?? 0);
    // Preparation leaves the verdict request only the proposal (plus a few margin tokens), with the same prompts.
    expect(prepared?.promptPerStep).toBe(chat?.promptPerStep);
    expect(prepared?.prefillPerStep ?? Infinity).toBeLessThan(chat?.prefillPerStep ?? 0);
    for (const r of rows) expect(r.decisions).toEqual({ approve: 10 });
    expect(formatCriticBench(rows)).toContain('prefilled/step');
  });

  it('builds episodes whose critic prompts grow by one step each', () => {
    const e = syntheticEpisode(3);
    expect(e.map((i) => i.history.length)).toEqual([1, 4, 7]);
  });
});
