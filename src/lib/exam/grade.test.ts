/**
 * Grading with scripted critics, all through the real remote-critic path: the
 * factory builds a RemoteCritic from a spec, the OpenAI SDK sends each prompt
 * over HTTP to ProviderServerDouble, whose scripted replies decide. Items are
 * the real set `tau-airline-gpt4o` (225 items cut from the GPT-4o airline episodes).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCriticPrompt } from '../critic/prompt.ts';
import { AbortedError } from '../errors.ts';
import { buildCritic } from '../setup/factory.ts';
import type { ProviderConfig } from '../actor/provider.ts';
import type { Critic } from '../critic/critic-interface.ts';
import { ProviderServerDouble, type RecordedRequest, type ScriptedReply } from '../../../tests/doubles/provider-server-double.ts';
import { examSet, hasExamSources } from '../../../tests/fixtures/exam-items.ts';
import { gradeExam, type GradeProgress } from './grade.ts';
import { examMetrics } from './metrics.ts';
import type { ExamItem, ExamRecord } from './schema.ts';

const provider = new ProviderServerDouble();
const items: ExamItem[] = hasExamSources ? await examSet('tau-airline-gpt4o') : [];
const revise = items.filter((i) => i.label === 'revise').length;
const approve = items.length - revise;

/** The critic prompt's user turn of a request (the double sees what the SDK sent). */
function userTurn(req: RecordedRequest): string {
  const messages = req.body['messages'];
  const last = Array.isArray(messages) ? messages.at(-1) : undefined;
  const content = last !== null && typeof last === 'object' && 'content' in last ? last.content : undefined;
  return typeof content === 'string' ? content : '';
}

/** Which item a request is about: its prompt is the loop's prompt for exactly one item. */
const itemIndexByPrompt = new Map(items.map((item, i) => [buildCriticPrompt(item.input).user, i]));
function itemOf(req: RecordedRequest): number {
  const i = itemIndexByPrompt.get(userTurn(req));
  if (i === undefined) throw new Error('request carries no item prompt');
  return i;
}

const APPROVE_PROPOSAL = { kind: 'message', content: '' } as const;
const APPROVE: ScriptedReply = { kind: 'message', content: '{"decision": "approve"}' };
const REVISE: ScriptedReply = { kind: 'message', content: '{"decision": "revise", "category": "wrong", "feedback": "Check the policy first."}' };

beforeAll(async () => {
  await provider.start();
  provider.respond('always-approve', () => APPROVE);
  provider.respond('always-revise', () => REVISE);
  provider.respond('oracle', (req) => (items[itemOf(req)]?.label === 'revise' ? REVISE : APPROVE));
  provider.respond('every-third-fails', (req) => {
    const i = itemOf(req);
    if (i % 3 === 2) return { kind: 'status', status: 400, message: 'scripted failure' };
    return items[i]?.label === 'revise' ? REVISE : APPROVE;
  });
  provider.respond('babbler', () => ({ kind: 'message', content: 'Looks fine to me!' }));
});
afterAll(() => provider.stop());
beforeEach(() => void (provider.requests.length = 0));

function critic(model: string, contextWindow?: number): Critic {
  const base: ProviderConfig = { kind: 'openai-compatible', baseUrl: `${provider.url}/v1`, model: '', apiKey: 'sk-exam-test', temperature: 0, maxTokens: 256, stream: false };
  const c = buildCritic({ engine: 'openai-compatible', model, baseUrl: `${provider.url}/v1`, ...(contextWindow ? { contextWindow } : {}) }, { base });
  if (!c) throw new Error('no critic');
  return c;
}

async function grade(model: string, opts: { items?: readonly ExamItem[]; contextWindow?: number } = {}): Promise<ExamRecord[]> {
  const records: ExamRecord[] = [];
  await gradeExam({ critic: critic(model, opts.contextWindow), items: opts.items ?? items, onRecord: (r) => void records.push(r), signal: new AbortController().signal });
  return records;
}

describe.skipIf(!hasExamSources)('gradeExam through the remote critic (ProviderServerDouble)', () => {
  it('has real items of both labels, each with its own prompt', () => {
    expect(items.length).toBe(225);
    expect(revise).toBe(106);
    expect(itemIndexByPrompt.size).toBe(items.length);
  });

  it('always-approve: every item in the approve column; caught nothing, blocked nothing', async () => {
    const records = await grade('always-approve');
    const m = examMetrics(records);
    expect(m.matrix).toEqual({ approve: { approve, revise: 0, unparsed: 0, failed: 0 }, revise: { approve: revise, revise: 0, unparsed: 0, failed: 0 } });
    expect(m.scores).toEqual(m.baselines.approveAll);
    // The critic saw exactly the loop's prompt, item by item, in order.
    expect(provider.requests.map(userTurn)).toEqual(items.map((i) => buildCriticPrompt(i.input).user));
    const system = JSON.stringify(buildCriticPrompt(items[0]?.input ?? { policy: '', tools: [], history: [], proposal: APPROVE_PROPOSAL, previousAttempts: [] }).system);
    expect(provider.requests.every((r) => JSON.stringify(r.body['messages']).includes(system))).toBe(true);
    // Usage as the provider reported it (the double reports 11 prompt, 7 output tokens).
    expect(records[0]).toMatchObject({ promptTokens: 11, outputTokens: 7 });
  });

  it('always-revise: every item in the revise column, with its feedback', async () => {
    const records = await grade('always-revise');
    const m = examMetrics(records);
    expect(m.matrix).toEqual({ approve: { approve: 0, revise: approve, unparsed: 0, failed: 0 }, revise: { approve: 0, revise, unparsed: 0, failed: 0 } });
    expect(m.scores).toEqual(m.baselines.reviseAll);
    expect(records.every((r) => r.feedback === 'Check the policy first.' && r.category === 'wrong')).toBe(true);
  });

  it('an oracle that reads the label from the prompt: the diagonal, MCC 1', async () => {
    const m = examMetrics(await grade('oracle'));
    expect(m.matrix).toEqual({ approve: { approve, revise: 0, unparsed: 0, failed: 0 }, revise: { approve: 0, revise, unparsed: 0, failed: 0 } });
    expect(m.scores).toMatchObject({ harmfulCaught: { k: revise, n: revise, value: 1 }, correctBlocked: { k: 0, n: approve, value: 0 }, balancedAccuracy: 1, mcc: 1 });
  });

  it('a critic failing on every third item: failures counted apart, and as approve under fail-open', async () => {
    const records = await grade('every-third-fails');
    const failed = items.filter((_, i) => i % 3 === 2);
    const failedRevise = failed.filter((i) => i.label === 'revise').length;
    const m = examMetrics(records);
    expect(m.failed).toBe(failed.length);
    expect(m.failed).toBe(Math.floor(items.length / 3));
    expect(m.matrix.revise).toEqual({ approve: 0, revise: revise - failedRevise, unparsed: 0, failed: failedRevise });
    expect(m.matrix.approve).toEqual({ approve: approve - (failed.length - failedRevise), revise: 0, unparsed: 0, failed: failed.length - failedRevise });
    // Fail-open: a failed verdict lets the action through, so every failed revise item is a miss.
    expect(m.scores.confusion).toEqual({ tp: revise - failedRevise, fn: failedRevise, fp: 0, tn: approve });
    // Over parsed verdicts only, the oracle is still perfect.
    expect(m.parsed.harmfulCaught.value).toBe(1);
    const f = records.find((r) => r.decision === 'failed');
    expect(f?.id).toBe(items[2]?.id);
    expect(f?.error).toContain('scripted failure');
    expect(f?.errorCode).toBe('provider');
  });

  it('unparseable output is kept with its raw text, counted apart', async () => {
    const records = await grade('babbler', { items: items.slice(0, 10) });
    expect(records.map((r) => r.decision)).toEqual(Array(10).fill('unparsed'));
    expect(records[0]).toMatchObject({ raw: 'Looks fine to me!', error: 'No JSON object in critic output' });
    expect(examMetrics(records).unparsed).toBe(10);
  });

  it('a window the prompts cannot fit: context overflows, no request sent', async () => {
    const records = await grade('always-approve', { items: items.slice(0, 5), contextWindow: 512 });
    expect(records.map((r) => r.errorCode)).toEqual(Array(5).fill('context-overflow'));
    expect(examMetrics(records).contextOverflows).toBe(5);
    expect(provider.requests).toHaveLength(0);
  });

  it('stops on abort and resumes without grading any item twice', async () => {
    const some = items.slice(0, 30);
    const stored = new Map<string, ExamRecord>();
    const controller = new AbortController();
    const progress: GradeProgress[] = [];
    const first = gradeExam({
      critic: critic('oracle'),
      items: some,
      onRecord: async (r) => {
        stored.set(r.id, r);
        if (stored.size === 12) controller.abort();
      },
      onProgress: (p) => progress.push(p),
      signal: controller.signal,
    });
    await expect(first).rejects.toBeInstanceOf(AbortedError);
    expect(stored.size).toBe(12);
    expect(progress.at(-1)).toMatchObject({ done: 12, total: 30 });
    expect(progress.at(-1)?.etaMs).toBeGreaterThanOrEqual(0);

    const resumed: GradeProgress[] = [];
    const summary = await gradeExam({
      critic: critic('oracle'),
      items: some,
      alreadyGraded: new Set(stored.keys()),
      onRecord: (r) => {
        if (stored.has(r.id)) throw new Error(`graded twice: ${r.id}`);
        stored.set(r.id, r);
      },
      onProgress: (p) => resumed.push(p),
      signal: new AbortController().signal,
    });
    expect(summary).toEqual({ graded: 18, skipped: 12 });
    expect(resumed[0]).toEqual({ done: 12, total: 30, etaMs: undefined });
    expect(resumed.at(-1)).toMatchObject({ done: 30, total: 30, etaMs: 0 });
    expect(provider.requests).toHaveLength(30);
    expect(new Set(provider.requests.map(itemOf)).size).toBe(30);
    expect(examMetrics([...stored.values()]).scores.mcc).toBe(1);
  });
});
