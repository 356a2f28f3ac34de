import { beforeAll, describe, expect, it } from 'vitest';
import { buildCriticPrompt, budgetForWindow, criticPrompt, estimateTokens, VERDICT_RESERVE_TOKENS } from '../critic/prompt.ts';
import { parseVerdict } from '../critic/verdict.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import { dedupe, splitByTask } from './dataset.ts';
import { buildExamples, examplePrompt, fingerprint } from './examples.ts';
import { OpenAIChatLineSchema, toJsonl, TrlPromptCompletionLineSchema } from './training-jsonl.ts';
import { mineHardTasks } from './labels/hard-tasks.ts';
import { interventionLabels } from './labels/interventions.ts';
import { combineLabels, type Label, type LabelSet } from './labels/label.ts';
import { outcomeLabels } from './labels/outcome.ts';
import { runPipeline } from './pipeline.ts';
import { decisionPoints, FAIL_CLOSED_FEEDBACK } from './points.ts';
import { call, goldOfShop, recordEpisode, recordScripted, say, SHOP_TOOLS, toolsOfShop } from '../../../tests/fixtures/scripted-episodes.ts';

let traces: EpisodeTrace[] = [];
beforeAll(async () => {
  traces = await recordScripted();
});

function must<T>(x: T | undefined): T {
  if (x === undefined) throw new Error('missing');
  return x;
}

const plain = (labels: LabelSet): Record<string, Label> => Object.fromEntries([...labels].sort(([a], [b]) => a.localeCompare(b)));
const approve = (source: Label['source']): Label => ({ decision: 'approve', source });

const WRONG_ORDER_FEEDBACK =
  'The arguments do not match what this request requires. Proposed: cancel_pending_order({"order_id":"2","reason":"no longer needed"}). Expected: cancel_pending_order({"order_id":"1","reason":"no longer needed"}).';

describe('decision points', () => {
  it('rebuild exactly the critic inputs the loop judged, rejected attempts and their feedback included', async () => {
    const c = await recordEpisode({
      id: 'C2',
      taskIndex: 0,
      reward: 1,
      mode: 'intervene',
      user: ['Cancel order 1 please', 'yes'],
      actor: [call('get_order_details', { order_id: '1' }), say('Confirm?'), call('cancel_pending_order', { order_id: '2' }), call('cancel_pending_order', { order_id: '1' }), say('Done.')],
      critic: [{ decision: 'approve' }, { decision: 'approve' }, { decision: 'revise', feedback: 'Order 1, not 2.' }, { decision: 'approve' }, { decision: 'approve' }],
    });
    const points = decisionPoints(c.trace, toolsOfShop);
    expect(points.map((p) => p.key)).toEqual(['C2#0.0', 'C2#1.0', 'C2#2.0', 'C2#2.1', 'C2#3.0']);
    expect(points.map((p) => p.input)).toEqual(c.critic.inputs);
    expect(points[3]?.input.previousAttempts).toEqual([{ action: c.critic.inputs[2]?.proposal, feedback: 'Order 1, not 2.' }]);
    expect(points.map((p) => p.executed)).toEqual([true, true, false, true, true]);
  });

  it('use the loop’s fail-closed feedback when an unparsed verdict sent a proposal back', async () => {
    const c = await recordEpisode({
      id: 'FC',
      taskIndex: 1,
      reward: 0,
      mode: 'intervene',
      failureRule: 'fail-closed',
      user: ['Refund order 3'],
      actor: [call('refund_order', { order_id: '3' }), call('refund_order', { order_id: '3' }), say('ok')],
      critic: [{ decision: 'unparsed' }, { decision: 'approve' }, { decision: 'approve' }],
    });
    const points = decisionPoints(c.trace, toolsOfShop);
    expect(points.map((p) => p.input)).toEqual(c.critic.inputs);
    expect(points[1]?.input.previousAttempts[0]?.feedback).toBe(FAIL_CLOSED_FEEDBACK);
  });
});

describe('label sources on scripted episodes with known outcomes', () => {
  it('outcome: approvals in passed episodes, the departure in failed ones, blocked gold actions', () => {
    expect(plain(outcomeLabels(traces, goldOfShop))).toEqual({
      'A#0.0': approve('outcome'),
      'A#1.0': approve('outcome'),
      'A#2.0': approve('outcome'),
      'A#3.0': approve('outcome'),
      'B#0.0': approve('outcome'),
      'B#1.0': { decision: 'revise', category: 'wrong-arguments', feedback: WRONG_ORDER_FEEDBACK, source: 'outcome' },
      'C#0.0': approve('outcome'),
      'C#1.1': approve('outcome'),
      'C#2.0': approve('outcome'),
      'D#0.0': approve('outcome'),
      'H#0.0': approve('outcome'),
      'I#0.0': approve('outcome'),
    });
  });

  it('outcome: names an unexpected state change and what was expected next', () => {
    const t = structuredClone(traces.find((x) => x.id === 'B'));
    if (!t) throw new Error('no B');
    const step = t.timeline.find((e) => e.type === 'step' && e.step.index === 1);
    if (step?.type !== 'step') throw new Error('no step 1');
    step.step.executed = { kind: 'tool_call', call: { id: 'x', name: 'refund_order', arguments: { order_id: '1' } } };
    step.step.proposals = [{ attempt: 0, action: step.step.executed, latencyMs: 1 }];
    expect(outcomeLabels([t], goldOfShop).get('B#1.0')).toEqual({
      decision: 'revise',
      category: 'unexpected-action',
      feedback:
        'refund_order is not an action this request requires. Proposed: refund_order({"order_id":"1"}). Expected next: cancel_pending_order({"order_id":"1","reason":"no longer needed"}).',
      source: 'outcome',
    });
  });

  it('interventions: the rejected proposal with the critic’s feedback, and the approved revision', () => {
    expect(plain(interventionLabels(traces, goldOfShop))).toEqual({
      'C#1.0': { decision: 'revise', category: 'wrong-order', feedback: 'The user asked about order 1.', source: 'interventions' },
      'C#1.1': approve('interventions'),
    });
  });

  it('hard-task mining keeps the tasks the actor alone fails or is inconsistent on', () => {
    expect(mineHardTasks(traces)).toEqual([
      { taskKey: 'policy-chat/test/1', environment: 'policy-chat', taskIndex: 1, runs: 2, passes: 0, reason: 'always-fails' },
      { taskKey: 'policy-chat/test/0', environment: 'policy-chat', taskIndex: 0, runs: 2, passes: 1, reason: 'inconsistent' },
    ]);
    expect(mineHardTasks(traces, 3)).toEqual([]);
  });

  it('combining: the earlier source wins where two label the same proposal', () => {
    const a: LabelSet = new Map([['k', approve('outcome')]]);
    const b: LabelSet = new Map<string, Label>([
      ['k', { decision: 'revise', feedback: 'x', source: 'teacher' }],
      ['j', { decision: 'revise', feedback: 'y', source: 'teacher' }],
    ]);
    expect(plain(combineLabels([a, b]))).toEqual({ j: { decision: 'revise', feedback: 'y', source: 'teacher' }, k: approve('outcome') });
  });
});

describe('examples, statistics, deduplication, split and export', () => {
  const opts = { outcome: true, interventions: true, hardTasksOnly: false, validationFraction: 0.34, seed: 's1' };

  it('produce exactly the expected examples, prompts being what the critic sees', () => {
    const r = runPipeline(traces, { toolsOf: toolsOfShop, goldOf: goldOfShop }, opts);
    expect(r.proposals).toBe(17);
    // B#0.0 and C#0.0 repeat A#0.0 (same history, same call), I#0.0 repeats H#0.0.
    expect(r.duplicatesRemoved).toBe(3);
    expect(r.conflicts).toBe(0);
    expect(r.examples.map((e) => `${e.key}:${e.target.decision}:${e.source}`)).toEqual([
      'A#0.0:approve:outcome',
      'A#1.0:approve:outcome',
      'A#2.0:approve:outcome',
      'A#3.0:approve:outcome',
      'B#1.0:revise:outcome',
      'C#1.0:revise:interventions',
      'C#1.1:approve:outcome',
      'C#2.0:approve:outcome',
      'D#0.0:approve:outcome',
      'H#0.0:approve:outcome',
    ]);
    const c11 = r.examples.find((e) => e.key === 'C#1.1');
    const points = decisionPoints(must(traces.find((t) => t.id === 'C')), toolsOfShop);
    const input = points.find((p) => p.key === 'C#1.1')?.input;
    if (!input || !c11) throw new Error('missing');
    const prompt = examplePrompt(c11);
    expect(prompt).toEqual(buildCriticPrompt(input));
    expect(prompt.user).toContain('Feedback: The user asked about order 1.');
    expect(prompt.user).toContain('- cancel_pending_order: cancel_pending_order tool');
    const b10 = r.examples.find((e) => e.key === 'B#1.0');
    expect(b10?.completion).toBe(JSON.stringify({ decision: 'revise', category: 'wrong-arguments', feedback: WRONG_ORDER_FEEDBACK }));
    expect(r.examples.find((e) => e.key === 'A#0.0')?.completion).toBe('{"decision":"approve"}');

    expect(r.stats).toEqual({
      total: 10,
      approve: 8,
      revise: 2,
      reviseShare: 0.2,
      byEnvironment: { 'policy-chat': { total: 10, approve: 8, revise: 2 } },
      bySource: { outcome: { total: 9, approve: 8, revise: 1 }, interventions: { total: 1, approve: 0, revise: 1 } },
      byCategory: { 'wrong-arguments': 1, 'wrong-order': 1 },
      tasks: 3,
      episodes: 5,
    });
  });

  it('hard tasks only keeps the examples of mined tasks', () => {
    const r = runPipeline(traces, { toolsOf: toolsOfShop, goldOf: goldOfShop }, { ...opts, hardTasksOnly: true });
    expect(new Set(r.examples.map((e) => e.taskKey))).toEqual(new Set(['policy-chat/test/0', 'policy-chat/test/1']));
    expect(r.examples).toHaveLength(9);
  });

  it('teacher labels fill in where outcome and interventions are silent', () => {
    const teacher: LabelSet = new Map<string, Label>([
      ['F#0.0', { decision: 'revise', category: 'unhelpful', feedback: 'Explain why.', source: 'teacher' }],
      ['A#0.0', { decision: 'revise', feedback: 'overridden by outcome', source: 'teacher' }],
    ]);
    const r = runPipeline(traces, { toolsOf: toolsOfShop, goldOf: goldOfShop }, { ...opts, teacher });
    expect(r.examples.find((e) => e.key === 'F#0.0')?.source).toBe('teacher');
    expect(r.examples.find((e) => e.key === 'A#0.0')?.source).toBe('outcome');
    expect(r.stats.bySource.teacher).toEqual({ total: 1, approve: 0, revise: 1 });
  });

  it('no task straddles train and validation; the split is deterministic per seed', () => {
    const many = runPipeline(traces, { toolsOf: toolsOfShop, goldOf: goldOfShop }, opts).examples.flatMap((e) =>
      Array.from({ length: 10 }, (_, i) => ({ ...e, taskKey: `${e.taskKey}#${i}`, key: `${e.key}/${i}` })),
    );
    for (const seed of ['a', 'b', 'c']) {
      const s = splitByTask(many, 0.2, seed);
      const trainTasks = new Set(s.train.map((e) => e.taskKey));
      expect(s.validation.every((e) => !trainTasks.has(e.taskKey))).toBe(true);
      expect(s.train.length + s.validation.length).toBe(many.length);
      expect(s.validationTasks).toHaveLength(6);
      expect(splitByTask(many, 0.2, seed)).toEqual(s);
    }
    expect(splitByTask(many, 0.2, 'a').validationTasks).not.toEqual(splitByTask(many, 0.2, 'b').validationTasks);
    expect(splitByTask(many.slice(0, 1), 0.5, 'a').validation).toEqual([]);
  });

  it('dedupe keeps the first of identical prompt+target pairs only', () => {
    const points = decisionPoints(must(traces.find((t) => t.id === 'H')), toolsOfShop);
    const ex = buildExamples(points, new Map([[points[0]?.key ?? '', approve('outcome')]]));
    const twice = [...ex, ...ex, { ...must(ex[0]), target: { decision: 'revise' as const, feedback: 'x' }, completion: '{"decision":"revise","feedback":"x"}' }];
    expect(dedupe(twice)).toMatchObject({ removed: 1, conflicts: 1 });
    expect(dedupe(ex).conflicts).toBe(0);
    expect(fingerprint('abc')).toMatch(/^[0-9a-f]{28}$/);
    expect(fingerprint('abc')).toBe(fingerprint('abc'));
    expect(fingerprint('abc')).not.toBe(fingerprint('abd'));
  });

  it('exported files parse in both formats and carry the verdict as the assistant turn', () => {
    const r = runPipeline(traces, { toolsOf: toolsOfShop, goldOf: goldOfShop }, opts);
    const openai = toJsonl(r.examples, 'openai').split('\n');
    expect(openai.pop()).toBe('');
    expect(openai).toHaveLength(r.examples.length);
    openai.forEach((line, i) => {
      const parsed = OpenAIChatLineSchema.parse(JSON.parse(line));
      const e = must(r.examples[i]);
      expect(parsed.messages[0].content).toBe(examplePrompt(e).system);
      expect(parsed.messages[1].content).toBe(examplePrompt(e).user);
      expect(parseVerdict(parsed.messages[2].content)).toEqual(e.target);
    });
    const trl = toJsonl(r.examples, 'trl').trimEnd().split('\n');
    expect(trl).toHaveLength(r.examples.length);
    trl.forEach((line, i) => {
      const parsed = TrlPromptCompletionLineSchema.parse(JSON.parse(line));
      expect(parsed.prompt.map((m) => m.role)).toEqual(['system', 'user']);
      expect(parseVerdict(parsed.completion[0].content)).toEqual(r.examples[i]?.target);
    });
    expect(SHOP_TOOLS).toHaveLength(3);
  });

  it('with a context window, exports the prompts the run-time budget builds (the same function, the same shortening)', () => {
    const r = runPipeline(traces, { toolsOf: toolsOfShop, goldOf: goldOfShop }, opts);
    const longest = [...r.examples].sort((a, b) => examplePrompt(b).user.length - examplePrompt(a).user.length)[0];
    const e = must(longest);
    // A window just too small for the longest prompt whole.
    const window = estimateTokens(examplePrompt(e).system) + estimateTokens(examplePrompt(e).user) + VERDICT_RESERVE_TOKENS - 40;
    const line = OpenAIChatLineSchema.parse(JSON.parse(toJsonl([e], 'openai', window)));
    const budgeted = criticPrompt(e.input, budgetForWindow(window, estimateTokens));
    expect(line.messages[1].content).toBe(budgeted.prompt.user);
    expect(budgeted.fit?.omitted || budgeted.fit?.shortenedObservations).toBeTruthy();
    expect(line.messages[1].content).not.toBe(examplePrompt(e).user);
    expect(OpenAIChatLineSchema.parse(JSON.parse(toJsonl([e], 'openai'))).messages[1].content).toBe(examplePrompt(e).user);
  });
});
