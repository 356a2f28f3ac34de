/**
 * A personal exam set through the Data tab's path: stored episodes (here the
 * 200 real GPT-4o airline episodes, imported as History imports them), the
 * app's environment context (tools and gold from the pack), the pipeline's
 * label sources, then personalExamSet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvContext } from '../data/env-context.ts';
import { runPipeline, type PipelineResult } from '../data/pipeline.ts';
import { loadTauPack } from '../envs/tau-bench/pack.ts';
import { defaultTauDir, nodePackSource } from '../envs/tau-bench/pack-node.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import { parseTauResults } from '../traces/tau-results.ts';
import { examToJsonl, parseExamJsonl } from './jsonl.ts';
import { personalExamSet } from './personal.ts';
import { ExamItemSchema } from './schema.ts';

let traces: EpisodeTrace[] = [];
let result: PipelineResult;
beforeAll(async () => {
  const dir = defaultTauDir();
  traces = parseTauResults(readFileSync(join(dir, 'historical', 'gpt-4o-airline.json'), 'utf8'), { now: 0 }).episodes;
  const { ctx, problems } = await loadEnvContext(
    traces.map((t) => t.meta),
    (domain, split) => loadTauPack(nodePackSource(dir), [domain], { [domain]: [split] }),
  );
  expect(problems).toEqual([]);
  result = runPipeline(traces, ctx, { outcome: true, interventions: true, hardTasksOnly: false, validationFraction: 0, seed: 's' });
}, 60_000);

describe('personalExamSet', () => {
  it('turns every labelled, deduplicated decision point into an item with the same critic input and label', () => {
    const items = personalExamSet('my-airline', result.examples, traces);
    expect(result.examples.length).toBeGreaterThan(500);
    expect(items).toHaveLength(result.examples.length);
    const byKey = new Map(result.examples.map((e) => [e.key, e]));
    for (const it of items) {
      expect(ExamItemSchema.parse(it)).toEqual(it);
      expect(it.set).toBe('my-airline');
      const e = byKey.get(it.id.slice('my-airline/'.length));
      if (!e) throw new Error(`no example for ${it.id}`);
      expect(it.input).toBe(e.input);
      expect(it.label).toBe(e.target.decision);
      expect(it.environment).toEqual({ family: 'tau-bench', domain: 'airline' });
      expect(it.tool).toBe(e.input.proposal.kind === 'tool_call' ? e.input.proposal.call.name : 'message');
      expect(it.why).toMatch(it.label === 'approve' ? /^Labelled approve by the outcome source\.$/ : /^Labelled revise by the outcome source \((wrong-arguments|unexpected-action)\): /);
      const t = traces.find((x) => x.id === it.source.episodeId);
      expect(it.source).toEqual({ episodeId: t?.id, taskId: t?.meta.taskIndex, trial: t?.meta.trial, reward: t?.reward });
    }
    const labels = new Set(items.map((it) => it.label));
    expect(labels).toEqual(new Set(['approve', 'revise']));
    // Messages are decisions too.
    expect(items.some((it) => it.tool === 'message')).toBe(true);
    // And the set travels as an exam file.
    expect(parseExamJsonl(examToJsonl(items))).toEqual(items);
  });

  it('leaves out examples whose episode is not given', () => {
    const some = traces.slice(0, 10);
    const items = personalExamSet('p', result.examples, some);
    const ids = new Set(some.map((t) => t.id));
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((it) => ids.has(it.source.episodeId ?? ''))).toBe(true);
    expect(items).toHaveLength(result.examples.filter((e) => ids.has(e.episodeId)).length);
  });
});
