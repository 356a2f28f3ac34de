import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModels } from '../../../scripts/make-tiny-model.ts';
import { benchCritic, formatCriticBench, syntheticEpisode } from './bench.ts';

beforeAll(() => {
  makeTinyModels();
});

describe('benchCritic (tiny model, real onnxruntime)', () => {
  it('prefills far fewer tokens per step with prefix reuse, with the same verdicts', async () => {
    const rows = await benchCritic({ modelsDir: `${resolve(import.meta.dirname, '../../../.fixtures/models')}/`, stepCounts: [10] });
    const off = rows.find((r) => !r.reuse);
    const on = rows.find((r) => r.reuse);
    expect(off?.prefillPerStep).toBe(off?.promptPerStep);
    expect(on?.promptPerStep).toBe(off?.promptPerStep);
    expect((on?.prefillPerStep ?? Infinity) * 3).toBeLessThan(off?.prefillPerStep ?? 0);
    expect(on?.decisions).toEqual({ approve: 10 });
    expect(off?.decisions).toEqual({ approve: 10 });
    expect(formatCriticBench(rows)).toContain('prefilled/step');
  });

  it('builds episodes whose critic prompts grow by one step each', () => {
    const e = syntheticEpisode(3);
    expect(e.map((i) => i.history.length)).toEqual([1, 4, 7]);
  });
});
