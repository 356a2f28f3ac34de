import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makePrefillModel, makeTinyModels, PREFILL_MODEL } from '../scripts/make-tiny-model.ts';
import { EngineCritic } from '../src/lib/critic/engine-critic.ts';
import { TransformersEngine } from '../src/lib/engines/transformers.ts';
import { loadTauPack } from '../src/lib/envs/tau-bench/pack.ts';
import { nodePackSource } from '../src/lib/envs/tau-bench/pack-node.ts';
import { benchCritic, benchPreparation, formatCriticBench, longestReplayEpisode, replayParts, syntheticEpisode } from './critic.ts';

beforeAll(() => {
  makeTinyModels();
  makePrefillModel();
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

  it('tiny-critic-prefill (dense layers on every token, for the preparation bench) answers exactly as tiny-critic-kv', async () => {
    const modelsDir = `${resolve(import.meta.dirname, '../.fixtures/models')}/`;
    const tokensAndVerdicts = (rows: Awaited<ReturnType<typeof benchCritic>>) => rows.map(({ medianLatencyMs: _ms, ...rest }) => rest);
    const kv = await benchCritic({ modelsDir, stepCounts: [4] });
    const prefill = await benchCritic({ modelsDir, model: PREFILL_MODEL.id, stepCounts: [4] });
    expect(tokensAndVerdicts(prefill)).toEqual(tokensAndVerdicts(kv));
    for (const r of prefill) expect(r.decisions).toEqual({ approve: 4 });
  });

  it('builds episodes whose critic prompts grow by one step each', () => {
    const e = syntheticEpisode(3);
    expect(e.map((i) => i.history.length)).toEqual([1, 4, 7]);
  });

  // Token counts are deterministic; the latency ratio is measured by npm run bench (bench/pages/prefix.html), never here.
  it('replays a real-length retail episode through the loop: after the actor replies, preparation leaves at most 1/3 of the prefill, with the same prompts and verdicts', async () => {
    const pack = await loadTauPack(nodePackSource(resolve(process.cwd(), '..', 'shared', 'tau-bench')), ['retail']);
    const episode = longestReplayEpisode(pack, 'retail');
    const steps = replayParts(episode.history).actions.length;
    const critic = async () => {
      const engine = new TransformersEngine({ model: 'tiny-critic-kv', localModelPath: `${resolve(import.meta.dirname, '../.fixtures/models')}/`, dtype: 'fp32' });
      await engine.load(() => {});
      return new EngineCritic(engine, 32);
    };
    const r = await benchPreparation(critic, episode, 0);
    expect(r.steps).toBe(steps);
    expect(r.steps).toBeGreaterThanOrEqual(25);
    // Real length: a tau-bench retail prompt at one token per byte.
    expect(r.promptPerStep).toBeGreaterThan(15_000);
    expect(r.sameVerdicts).toBe(true);
    expect(r.samePrompts).toBe(true);
    expect(r.prefillWithPerStep * 3).toBeLessThanOrEqual(r.prefillWithoutPerStep);
  }, 120_000);
});

