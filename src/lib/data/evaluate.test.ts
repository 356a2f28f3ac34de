import { beforeAll, describe, expect, it } from 'vitest';
import type { Critic, CriticInput } from '../critic/critic-interface.ts';
import { AbortedError } from '../errors.ts';
import { ScriptedActorDouble, ScriptedCriticDouble } from '../../../tests/doubles/scripted-doubles.ts';
import { buildCriticPrompt } from '../critic/prompt.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import type { Verdict } from '../contracts.ts';
import { buildEvaluation, criticReport, evaluateCritics, liveRunReport, recordedVerdicts } from './evaluate.ts';
import { interventionLabels } from './labels/interventions.ts';
import { combineLabels, type LabelSet } from './labels/label.ts';
import { outcomeLabels } from './labels/outcome.ts';
import { criticFromActor, teacherLabels } from './labels/teacher.ts';
import { cohensKappa, median, percentile, prf } from './metrics.ts';
import { allDecisionPoints } from './pipeline.ts';
import type { DecisionPoint } from './points.ts';
import { rejudge } from './rejudge.ts';
import { goldOfShop, recordScripted, toolsOfShop } from '../../../tests/fixtures/scripted-episodes.ts';

/**
 * A critic double judging by rule: revises cancelling order 2 and any refund,
 * writes garbage for "Sorry, no.", fails on "hello"; call n takes n×10 ms.
 */
class RuleCriticDouble implements Critic {
  readonly label = 'rule-critic';
  calls = 0;
  async judge(input: CriticInput): Promise<Verdict> {
    const n = ++this.calls;
    const base = { latencyMs: n * 10, critic: this.label };
    const a = input.proposal;
    if (a.kind === 'message' && a.content === 'hello') throw new Error('engine crashed');
    if (a.kind === 'message' && a.content === 'Sorry, no.') return { ...base, decision: 'unparsed', raw: 'blah' };
    if (a.kind === 'tool_call' && (a.call.name === 'refund_order' || a.call.arguments['order_id'] === '2')) {
      return { ...base, decision: 'revise', category: 'rule', feedback: `No ${a.call.name} here.` };
    }
    return { ...base, decision: 'approve' };
  }
}

let traces: EpisodeTrace[] = [];
let points: DecisionPoint[] = [];
let labels: LabelSet = new Map();
beforeAll(async () => {
  traces = await recordScripted();
  points = allDecisionPoints(traces, toolsOfShop);
  labels = combineLabels([outcomeLabels(traces, goldOfShop), interventionLabels(traces, goldOfShop)]);
});

describe('metrics, hand-checked', () => {
  it('precision, recall, F1 of revise', () => {
    expect(prf({ tp: 2, fp: 1, fn: 0, tn: 8 })).toEqual({ precision: 2 / 3, recall: 1, f1: 0.8 });
    expect(prf({ tp: 1, fp: 1, fn: 3, tn: 0 })).toEqual({ precision: 0.5, recall: 0.25, f1: 2 / 6 });
    expect(prf({ tp: 0, fp: 0, fn: 0, tn: 5 })).toEqual({ precision: null, recall: null, f1: null });
  });
  it('Cohen’s kappa and raw agreement', () => {
    // pₒ = 3/4; marginals 2/4 and 1/4 → pₑ = .5·.25 + .5·.75 = .5; κ = .25/.5.
    expect(cohensKappa([[true, true], [true, false], [false, false], [false, false]])).toEqual({ kappa: 0.5, agreement: 0.75 });
    expect(cohensKappa([[false, false], [false, false]])).toEqual({ kappa: null, agreement: 1 });
    expect(cohensKappa([[true, false], [false, true]])).toEqual({ kappa: -1, agreement: 0 });
    expect(cohensKappa([])).toEqual({ kappa: null, agreement: null });
  });
  it('median and nearest-rank p95', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 95)).toBe(19);
    expect(percentile([7], 95)).toBe(7);
    expect(median([])).toBeNull();
  });
});

describe('re-judging stored proposals', () => {
  it('gives a report with the right counts against the labels', async () => {
    const progress: Array<[number, number]> = [];
    const verdicts = await rejudge(points, new RuleCriticDouble(), { signal: new AbortController().signal, onProgress: (d, t) => progress.push([d, t]) });
    expect(progress).toHaveLength(17);
    expect(progress.at(-1)).toEqual([17, 17]);
    const r = criticReport('rule-critic', points, verdicts, labels);
    expect(r).toMatchObject({ judged: 17, approve: 10, revise: 3, unparsed: 2, errors: 2, compared: 11, labelledUnusable: 2 });
    expect(r.confusion).toEqual({ tp: 2, fp: 1, fn: 0, tn: 8 });
    expect(r.agreement).toEqual({ precision: 2 / 3, recall: 1, f1: 0.8 });
    // Calls 1..15 answered (10..150 ms); 16 and 17 (H, I) were errors.
    expect(r.latencyMedianMs).toBe(80);
    expect(r.latencyP95Ms).toBe(150);
    expect(verdicts.get('H#0.0')).toMatchObject({ decision: 'error', error: 'engine crashed', critic: 'rule-critic' });
  });

  it('compares critics with each other and with the recorded verdicts', async () => {
    const { report, runs } = await evaluateCritics(points, [new RuleCriticDouble(), new ScriptedCriticDouble([])], labels, {
      signal: new AbortController().signal,
      includeRecorded: true,
    });
    expect(runs.map((r) => r.critic)).toEqual(['recorded', 'rule-critic', 'scripted-critic']);
    expect(report.points).toBe(17);
    expect(report.labelled).toBe(13);
    expect(report.critics[0]).toMatchObject({ judged: 6, approve: 4, revise: 2 });
    expect(report.critics[2]).toMatchObject({ judged: 17, approve: 17, confusion: { tp: 0, fp: 0, fn: 2, tn: 11 } });
    // Recorded (C, D only) and the rule critic agree on all six points: κ = 1.
    expect(report.pairs[0]).toEqual({ a: 'recorded', b: 'rule-critic', n: 6, agreement: 1, kappa: 1 });
    // Rule critic vs always-approve on the 13 points both parsed: 10 agree; pₑ = 10/13 → κ = 0.
    expect(report.pairs[2]).toMatchObject({ a: 'rule-critic', b: 'scripted-critic', n: 13, kappa: 0 });
    expect(report.pairs[2]?.agreement).toBeCloseTo(10 / 13, 12);
    expect(buildEvaluation(points, labels, runs)).toEqual(report);
    expect(recordedVerdicts(points).size).toBe(6);
  });

  it('stops on abort with AbortedError, and records a timeout as an error verdict', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    const run = rejudge(points, new RuleCriticDouble(), {
      signal: ac.signal,
      onProgress: (d) => {
        seen.push(d);
        if (d === 3) ac.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(seen).toEqual([1, 2, 3]);
    const hung = await rejudge(points.slice(0, 1), new ScriptedCriticDouble(['hang']), { signal: new AbortController().signal, timeoutMs: 20 });
    expect(hung.get(points[0]?.key ?? '')).toMatchObject({ decision: 'error', error: 'Critic timed out after 20 ms' });
  });

  it('teacher labels: approve/revise verdicts become targets, the rest are counted', async () => {
    const t = await teacherLabels(points, new RuleCriticDouble(), { signal: new AbortController().signal });
    expect(t.unparsed).toBe(2);
    expect(t.errors).toBe(2);
    expect(t.labels.size).toBe(13);
    expect(t.labels.get('D#0.0')).toEqual({ decision: 'revise', category: 'rule', feedback: 'No refund_order here.', source: 'teacher' });
    expect(t.labels.get('A#0.0')).toEqual({ decision: 'approve', source: 'teacher' });
  });
});

describe('an actor model as teacher', () => {
  it('sees the critic prompt and its reply is parsed strictly', async () => {
    const actor = new ScriptedActorDouble([
      { kind: 'message', content: 'Sure: {"decision": "revise", "category": "c", "feedback": "Check the order first."}' },
      { kind: 'message', content: 'approve, I think' },
      { kind: 'message', content: '{"decision":"approve"}' },
    ]);
    const t = await teacherLabels(points.slice(0, 3), criticFromActor(actor), { signal: new AbortController().signal });
    const first = points[0];
    if (!first) throw new Error('no points');
    const prompt = buildCriticPrompt(first.input);
    expect(actor.requests[0]).toEqual({ system: prompt.system, messages: [{ role: 'user', content: prompt.user }], tools: [] });
    expect(t.labels.get(first.key)).toEqual({ decision: 'revise', category: 'c', feedback: 'Check the order first.', source: 'teacher' });
    expect(t.unparsed).toBe(1);
    expect(t.labels.get(points[2]?.key ?? '')).toEqual({ decision: 'approve', source: 'teacher' });
  });
});

describe('live runs with the critic intervening', () => {
  it('helpfulness, harmfulness and recovery', () => {
    // C: the critic turned a wrong cancel into the right one (helped) and the episode passed.
    // D: the critic blocked the needed refund (harmed) and the episode failed.
    expect(liveRunReport(traces, goldOfShop)).toEqual({
      episodes: 2,
      episodesWithGold: 2,
      wrongProposals: 1,
      helped: 1,
      helpfulness: 1,
      rightProposals: 2,
      harmed: 1,
      harmfulness: 0.5,
      interventions: 2,
      recovered: 1,
      recovery: 0.5,
    });
    const noGold = liveRunReport(traces, () => undefined);
    expect(noGold).toMatchObject({ episodes: 2, episodesWithGold: 0, wrongProposals: 0, helpfulness: null, interventions: 2, recovery: 0.5 });
  });
});
