import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModels } from '../../../scripts/make-tiny-model.ts';
import { EngineCritic } from '../critic/engine-critic.ts';
import { TransformersEngine } from '../engines/transformers.ts';
import { evaluateCritics } from './evaluate.ts';
import { interventionLabels } from './labels/interventions.ts';
import { combineLabels } from './labels/label.ts';
import { outcomeLabels } from './labels/outcome.ts';
import { allDecisionPoints } from './pipeline.ts';
import { goldOfShop, recordScripted, toolsOfShop } from '../../../tests/fixtures/scripted-episodes.ts';

const MODELS = `${resolve(import.meta.dirname, '../../../.fixtures/models')}/`;

beforeAll(() => {
  makeTinyModels();
});

describe('re-judging with the tiny test critics (real transformers.js engine, Node cpu)', () => {
  it('reports counts that add up, for a critic that approves and one whose output never parses', async () => {
    const traces = await recordScripted();
    const points = allDecisionPoints(traces, toolsOfShop);
    const labels = combineLabels([outcomeLabels(traces, goldOfShop), interventionLabels(traces, goldOfShop)]);
    const approver = new TransformersEngine({ model: 'tiny-critic', localModelPath: MODELS, dtype: 'fp32' });
    const babbler = new TransformersEngine({ model: 'tiny-critic-babble', localModelPath: MODELS, dtype: 'fp32' });
    await approver.load(() => {});
    await babbler.load(() => {});
    const progress: number[] = [];
    try {
      const { report } = await evaluateCritics(points, [new EngineCritic(approver), new EngineCritic(babbler, 8)], labels, {
        signal: new AbortController().signal,
        onProgress: (i, done) => progress.push(i * 100 + done),
      });
      expect(progress).toHaveLength(2 * points.length);
      const [a, b] = report.critics;
      expect(a).toMatchObject({ critic: 'transformers:tiny-critic', judged: 17, approve: 17, revise: 0, unparsed: 0, errors: 0 });
      expect(a?.confusion).toEqual({ tp: 0, fp: 0, fn: 2, tn: 11 });
      expect(a?.agreement).toEqual({ precision: null, recall: 0, f1: 0 });
      expect(b).toMatchObject({ judged: 17, approve: 0, revise: 0, unparsed: 17, errors: 0, compared: 0, labelledUnusable: 13 });
      for (const r of report.critics) {
        expect(r.approve + r.revise + r.unparsed + r.errors).toBe(r.judged);
        expect(r.latencyMedianMs).not.toBeNull();
      }
      expect(report.pairs).toEqual([{ a: 'transformers:tiny-critic', b: 'transformers:tiny-critic-babble', n: 0, agreement: null, kappa: null }]);
    } finally {
      await approver.unload();
      await babbler.unload();
    }
  });
});
