/**
 * The NL-assertion judge against what the ORIGINAL judge (a2c0247) sent and
 * concluded, recorded by tests/fixtures/tau2/record_nl_judge.py: the system
 * prompt byte for byte, every user prompt (90 tasks: retail's 40 over their
 * replayed gold actions, airline's 50 over a text-only conversation) by
 * length and sha256, and its verdicts on scripted replies. Then the judge
 * through the real OpenAI and Anthropic SDK paths against ProviderServerDouble.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderServerDouble } from '../../../../tests/doubles/provider-server-double.ts';
import { providerActor } from '../../actor/index.ts';
import type { ProviderConfig } from '../../actor/provider.ts';
import { MalformedOutputError } from '../../errors.ts';
import { fromJs } from '../tau-bench/py.ts';
import { domainEnvFactory } from './domains.ts';
import type { Tau2Message } from './environment.ts';
import { actorNlJudge, NL_JUDGE_DEFAULT_MODEL, NL_JUDGE_SYSTEM_PROMPT, nlJudgeUserPrompt, parseNlJudgeReply } from './nl-judge.ts';
import { goldSteps, parseReplaySteps, replay } from './replay.ts';
import { parseTasks } from './tasks.ts';

const RETAIL = resolve('../shared/tau2-bench/retail');
const Digest = z.object({ len: z.number(), sha256: z.string() });
const Fixture = z.object({
  system_prompt: z.string(),
  model: z.string(),
  kwargs: z.object({ temperature: z.number() }),
  prompts: z.array(
    z.object({ domain: z.string(), task_id: z.string(), steps: z.array(z.unknown()), assertions: z.array(z.string()), user_prompt: Digest, user_prompt_text: z.string().optional() }),
  ),
  replies: z.array(
    z.object({
      case: z.string(),
      task_id: z.string(),
      reply: z.string(),
      reward: z.number().optional(),
      checks: z.array(z.object({ nl_assertion: z.string(), met: z.boolean(), justification: z.string() })).optional(),
      exception: z.string().optional(),
    }),
  ),
});
const fixture = Fixture.parse(JSON.parse(readFileSync(resolve('tests/fixtures/tau2/nl-judge.json'), 'utf8')));
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe.runIf(existsSync(RETAIL))('the NL-assertion judge, as the original', () => {
  const tasks = parseTasks(readFileSync(`${RETAIL}/tasks.json`, 'utf8'), 'retail/tasks.json');
  const makeEnv = domainEnvFactory('retail', readFileSync(`${RETAIL}/db.json`, 'utf8'));

  /** The fixture's conversation through the port: retail runs its tool calls on the real DB (as replay.ts does); airline's is text only. */
  function conversation(rec: (typeof fixture.prompts)[number]): Tau2Message[] {
    const steps = parseReplaySteps(fromJs(rec.steps), `${rec.domain} ${rec.task_id}`);
    const task = tasks.find((t) => t.id === rec.task_id);
    const env = makeEnv();
    if (rec.domain === 'retail') env.setState(task?.initializationActions ?? [], []);
    return steps.flatMap((s, i): Tau2Message[] => {
      if (s.kind === 'text') return [{ role: s.role, content: s.content, toolCalls: null }];
      if (rec.domain !== 'retail') throw new Error(`a tool call in ${rec.domain}'s text-only conversation`);
      const call = { id: `call_${i}`, name: s.name, arguments: s.arguments, requestor: s.requestor };
      return [{ role: s.requestor, content: null, toolCalls: [call] }, env.getResponse(call)];
    });
  }

  it('sends the system prompt byte for byte, with the original defaults', () => {
    expect(NL_JUDGE_SYSTEM_PROMPT).toBe(fixture.system_prompt);
    expect(NL_JUDGE_DEFAULT_MODEL).toBe(fixture.model);
    expect(fixture.kwargs.temperature).toBe(0);
  });

  it('builds every recorded user prompt exactly (90 tasks, retail over replayed gold actions)', () => {
    expect(fixture.prompts).toHaveLength(90);
    let full = 0;
    for (const rec of fixture.prompts) {
      const prompt = nlJudgeUserPrompt(conversation(rec), rec.assertions);
      if (rec.user_prompt_text !== undefined) {
        expect(prompt).toBe(rec.user_prompt_text);
        full++;
      }
      expect({ task: `${rec.domain} ${rec.task_id}`, len: prompt.length, sha256: sha(prompt) }).toEqual({ task: `${rec.domain} ${rec.task_id}`, ...rec.user_prompt });
    }
    expect(full).toBe(3);
  });

  it('reads replies as the original does, and never passes a reply that leaves an assertion ungraded', () => {
    const rec = fixture.prompts.find((p) => p.domain === 'retail' && p.task_id === fixture.replies[0]?.task_id);
    if (rec === undefined) throw new Error('fixture task');
    const assertions = rec.assertions;
    expect(assertions.length).toBeGreaterThanOrEqual(2);
    for (const r of fixture.replies) {
      const checks = r.checks;
      if (r.exception === undefined && checks !== undefined && checks.length === assertions.length) {
        const ours = parseNlJudgeReply(r.reply, assertions);
        expect({ case: r.case, checks: ours }).toEqual({ case: r.case, checks: checks.map((c) => ({ nlAssertion: c.nl_assertion, met: c.met, justification: c.justification })) });
        expect(ours.every((c) => c.met) ? 1 : 0).toBe(r.reward);
        continue;
      }
      // The original raised, or (empty / missing results) scored what it got: a malformed reply here, naming an assertion.
      let error: unknown;
      try {
        parseNlJudgeReply(r.reply, assertions);
      } catch (e) {
        error = e;
      }
      expect(error, r.case).toBeInstanceOf(MalformedOutputError);
      if (error instanceof MalformedOutputError) {
        expect(error.raw).toBe(r.reply);
        if (r.exception === undefined) expect(error.message).toContain(JSON.stringify(assertions[0]));
      }
    }
    const deviations = fixture.replies.filter((r) => r.exception === undefined && (r.checks?.length ?? 0) < assertions.length).map((r) => r.case);
    expect(deviations).toEqual(['empty results', 'no results key']);
  });
});

describe.runIf(existsSync(RETAIL))('the NL-assertion judge through the real SDKs', () => {
  const server = new ProviderServerDouble();
  const tasks = parseTasks(readFileSync(`${RETAIL}/tasks.json`, 'utf8'), 'retail/tasks.json');
  const makeEnv = domainEnvFactory('retail', readFileSync(`${RETAIL}/db.json`, 'utf8'));
  const task = tasks.find((t) => (t.criteria?.nlAssertions.length ?? 0) >= 2 && t.criteria?.rewardBasis.includes('NL_ASSERTION'));
  const cfg = (kind: ProviderConfig['kind']): ProviderConfig => ({
    kind,
    baseUrl: kind === 'anthropic' ? server.url : `${server.url}/v1`,
    model: 'judge',
    apiKey: 'sk-judge-secret',
    temperature: 0,
    maxTokens: 1024,
    stream: false,
  });
  const verdicts = (met: boolean[]): string =>
    JSON.stringify({ results: (task?.criteria?.nlAssertions ?? []).map((a, i) => ({ expectedOutcome: a, reasoning: `because ${i}`, metExpectation: met[i] ?? true })) });

  beforeAll(async () => {
    await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => server.reset());

  it.each(['openai-compatible', 'anthropic'] as const)('judges a retail episode (%s): prompt sent as the original sends it, reward from the verdicts', async (kind) => {
    if (task === undefined) throw new Error('a retail task with two NL assertions');
    const judge = actorNlJudge(providerActor(cfg(kind)));
    server.script('judge', { kind: 'message', content: verdicts([true, true]) }, { kind: 'message', content: verdicts([true, false]) });
    const passed = await replay(task, goldSteps(task), makeEnv, judge);
    expect(passed.reward.reward).toBe(1);
    expect(passed.reward.breakdown.NL_ASSERTION).toBe(1);
    expect(passed.reward.nl).toEqual({ checks: task.criteria?.nlAssertions.map((a, i) => ({ nlAssertion: a, met: true, justification: `because ${i}` })) });
    const failed = await replay(task, goldSteps(task), makeEnv, judge);
    expect(failed.reward.reward).toBe(0);
    expect(failed.reward.breakdown).toMatchObject({ DB: 1, NL_ASSERTION: 0 });

    const sent = server.requests[0];
    const user = nlJudgeUserPrompt(passed.trajectory, task.criteria?.nlAssertions ?? []);
    if (kind === 'anthropic') {
      expect(sent?.body['system']).toBe(NL_JUDGE_SYSTEM_PROMPT);
      expect(sent?.body['messages']).toMatchObject([{ role: 'user', content: [{ type: 'text', text: user }] }]);
    } else {
      expect(sent?.body['messages']).toEqual([
        { role: 'system', content: NL_JUDGE_SYSTEM_PROMPT },
        { role: 'user', content: user },
      ]);
      expect(sent?.body['tools']).toBeUndefined();
      expect(sent?.body['temperature']).toBe(0); // the original's DEFAULT_LLM_NL_ASSERTIONS_ARGS (Anthropic's SDK takes none)
    }
  });

  it('fails the evaluation, naming the assertion, when the judge answers out of shape', async () => {
    if (task === undefined) throw new Error('a retail task with two NL assertions');
    const judge = actorNlJudge(providerActor(cfg('openai-compatible')));
    const second = task.criteria?.nlAssertions[1] ?? '';
    server.script(
      'judge',
      { kind: 'message', content: 'Both outcomes are met.' },
      { kind: 'message', content: JSON.stringify({ results: [{ expectedOutcome: 'x', reasoning: 'r', metExpectation: true }] }) },
      { kind: 'message', content: JSON.stringify({ results: [{ expectedOutcome: 'x', reasoning: 'r', metExpectation: true }, { expectedOutcome: 'y', reasoning: 'r', metExpectation: 'perhaps' }] }) },
    );
    await expect(replay(task, goldSteps(task), makeEnv, judge)).rejects.toThrow(/not JSON/);
    await expect(replay(task, goldSteps(task), makeEnv, judge)).rejects.toThrow(`NL assertion ${JSON.stringify(second)}: 1 result(s) for 2 assertions`);
    await expect(replay(task, goldSteps(task), makeEnv, judge)).rejects.toThrow(`NL assertion ${JSON.stringify(second)}: results[1].metExpectation`);
  });
});
