import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderServerDouble } from '../../../tests/doubles/provider-server-double.ts';
import { AnthropicActor } from '../actor/anthropic.ts';
import { OpenAICompatibleActor } from '../actor/openai.ts';
import { RemoteCritic } from '../critic/remote.ts';
import type { Critic, CriticInput } from '../critic/critic-interface.ts';
import { createPolicyChatEnv } from '../envs/policy-chat/env.ts';
import type { Env, UserSide } from '../envs/env-interface.ts';
import { SimulatedUser } from '../envs/tau-bench/user.ts';
import {
  ScriptedActorDouble,
  ScriptedCriticDouble,
  ScriptedUserDouble,
  StreamingActorDouble,
  type ActorStep,
  type CriticStep,
} from '../../../tests/doubles/scripted-doubles.ts';
import type { Action, CriticMode, FailureRule } from '../contracts.ts';
import type { LoopEvent, TimelineEntry } from './events.ts';
import { runEpisode, type EpisodeConfig } from './run-episode.ts';
import { ContextOverflowError } from '../errors.ts';
import { TraceRecorder } from '../traces/recorder.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import { blindBannerText, criticHealth } from '../critic/health.ts';

const say = (content: string): Action => ({ kind: 'message', content });
const call = (name: string, args: Record<string, unknown> = {}): Action => ({ kind: 'tool_call', call: { id: `id-${name}`, name, arguments: args } });

const toolEnv: Env = {
  id: 'test-tools',
  policy: 'Never refund more than $100.',
  tools: [{ type: 'function', function: { name: 'refund', parameters: { type: 'object' } } }],
  execute: (c) => ({ observation: `refunded ${JSON.stringify(c.arguments)}`, endsEpisode: c.name === 'transfer' }),
  reward: (msgs) => ({ reward: msgs.some((m) => m.includes('done')) ? 1 : 0 }),
};

interface Setup {
  actor: ActorStep[] | ScriptedActorDouble | EpisodeConfig['actor'];
  critic?: CriticStep[] | Critic;
  user?: string[];
  mode?: CriticMode;
  rule?: FailureRule;
  env?: Env;
  maxSteps?: number;
  criticTimeoutMs?: number;
  recover?: EpisodeConfig['recover'];
  /** A user side other than the scripted one (`user` is then unused). */
  userSide?: UserSide;
}

async function run(s: Setup, signal = new AbortController().signal) {
  const actor = Array.isArray(s.actor) ? new ScriptedActorDouble(s.actor) : s.actor;
  const critic = Array.isArray(s.critic) ? new ScriptedCriticDouble(s.critic) : s.critic;
  const user = new ScriptedUserDouble(s.user ?? ['I want a refund of $500']);
  const events: LoopEvent[] = [];
  for await (const e of runEpisode(
    {
      episodeId: 'ep1',
      env: s.env ?? toolEnv,
      user: s.userSide ?? user,
      actor,
      ...(critic ? { critic } : {}),
      mode: s.mode ?? 'intervene',
      maxRevisions: 2,
      failureRule: s.rule ?? 'fail-open',
      maxSteps: s.maxSteps ?? 30,
      criticTimeoutMs: s.criticTimeoutMs ?? 5000,
      meta: { environment: { family: 'policy-chat' } },
      ...(s.recover ? { recover: s.recover } : {}),
    },
    signal,
  )) {
    events.push(e);
  }
  const steps = events.flatMap((e) => (e.type === 'step' ? [e.step] : []));
  const end = events.at(-1);
  return { events, steps, end, actor, critic, user };
}

describe('runEpisode', () => {
  it('approve path: the approved action executes and the user hears it', async () => {
    const r = await run({ actor: [call('refund', { amount: 50 }), say('done, $50 refunded')], critic: [{ decision: 'approve' }, { decision: 'approve' }] });
    expect(r.steps.map((s) => s.executed)).toEqual([call('refund', { amount: 50 }), say('done, $50 refunded')]);
    expect(r.steps[0]?.observation).toBe('refunded {"amount":50}');
    expect(r.steps.every((s) => s.proposals.length === 1 && !s.flagged)).toBe(true);
    expect(r.user.heard).toEqual(['done, $50 refunded']);
    expect(r.end).toMatchObject({ type: 'episode_end', outcome: 'done', reward: 1 });
  });

  it('revise then approve within one step: feedback reaches the actor, the rejected action never runs', async () => {
    const executed: string[] = [];
    const env: Env = { ...toolEnv, execute: (c) => (executed.push(JSON.stringify(c.arguments)), { observation: 'ok' }) };
    const r = await run({
      env,
      actor: [call('refund', { amount: 500 }), call('refund', { amount: 100 }), say('done')],
      critic: [{ decision: 'revise', feedback: 'Refunds over $100 break the policy', category: 'policy' }, { decision: 'approve' }, { decision: 'approve' }],
    });
    expect(executed).toEqual(['{"amount":100}']);
    const step0 = r.steps[0];
    expect(step0?.proposals.map((p) => p.verdict?.decision)).toEqual(['revise', 'approve']);
    expect(step0?.executed).toEqual(call('refund', { amount: 100 }));
    const actor = r.actor as ScriptedActorDouble;
    const revisionReq = actor.requests[1];
    const last = revisionReq?.messages.at(-1);
    expect(last?.role).toBe('tool');
    expect(last?.content).toContain('Refunds over $100 break the policy');
    // After the step, the trajectory holds only what ran.
    const nextReq = actor.requests[2];
    expect(JSON.stringify(nextReq?.messages)).not.toContain('"amount":500');
    const critic = r.critic as ScriptedCriticDouble;
    expect(critic.inputs[1]?.previousAttempts).toEqual([{ action: call('refund', { amount: 500 }), feedback: 'Refunds over $100 break the policy' }]);
  });

  it('a rejected message is revised before the user ever sees it', async () => {
    const r = await run({
      env: createPolicyChatEnv('Never promise refunds over $100.'),
      actor: [say('Sure, $500 is on its way!'), say('I can refund up to $100.')],
      critic: [{ decision: 'revise', feedback: 'Promises a $500 refund' }, { decision: 'approve' }],
      user: ['Refund me $500'],
    });
    expect(r.user.heard).toEqual(['I can refund up to $100.']);
    expect(r.steps[0]?.proposals).toHaveLength(2);
  });

  it('K limit: after K revisions the last proposal executes and the step is flagged', async () => {
    const r = await run({
      actor: [call('refund', { amount: 500 }), call('refund', { amount: 400 }), call('refund', { amount: 300 }), say('done')],
      critic: [
        { decision: 'revise', feedback: 'too much' },
        { decision: 'revise', feedback: 'still too much' },
        { decision: 'revise', feedback: 'still too much' },
        { decision: 'approve' },
      ],
    });
    expect(r.steps[0]?.proposals).toHaveLength(3);
    expect(r.steps[0]?.flagged).toBe(true);
    expect(r.steps[0]?.executed).toEqual(call('refund', { amount: 300 }));
    expect(r.steps[1]?.flagged).toBe(false);
  });

  it('monitor mode records verdicts and changes nothing', async () => {
    const script = [call('refund', { amount: 500 }), say('done')];
    const baseline = await run({ actor: [...script], mode: 'off', critic: [] });
    const monitored = await run({ actor: [...script], mode: 'monitor', critic: [{ decision: 'revise', feedback: 'too much' }, { decision: 'revise', feedback: 'x' }] });
    expect(monitored.steps.map((s) => s.executed)).toEqual(baseline.steps.map((s) => s.executed));
    expect(monitored.steps[0]?.proposals[0]?.verdict?.decision).toBe('revise');
    expect(baseline.steps[0]?.proposals[0]?.verdict).toBeUndefined();
    expect(monitored.steps.some((s) => s.flagged)).toBe(false);
    expect(monitored.end).toMatchObject({ outcome: 'done', reward: 1 });
  });

  it('off mode never calls the critic', async () => {
    const critic = new ScriptedCriticDouble([]);
    await run({ actor: [say('done')], mode: 'off', critic });
    expect(critic.inputs).toHaveLength(0);
  });

  it('critic failure, fail-open: recorded as error, the action proceeds', async () => {
    const r = await run({ actor: [call('refund', { amount: 5 }), say('done')], critic: [new Error('GPU lost'), { decision: 'approve' }], rule: 'fail-open' });
    const v = r.steps[0]?.proposals[0]?.verdict;
    expect(v).toMatchObject({ decision: 'error', error: 'GPU lost' });
    expect(r.steps[0]?.proposals).toHaveLength(1);
    expect(r.end).toMatchObject({ outcome: 'done' });
  });

  it('critic failure, fail-closed: treated as an objection, bounded by K', async () => {
    const r = await run({ actor: [call('refund', { amount: 5 }), call('refund', { amount: 5 }), say('done')], critic: [new Error('boom'), { decision: 'approve' }, { decision: 'approve' }], rule: 'fail-closed' });
    expect(r.steps[0]?.proposals.map((p) => p.verdict?.decision)).toEqual(['error', 'approve']);
    expect(r.end).toMatchObject({ outcome: 'done' });
  });

  it('a hanging critic times out and never stalls the episode', async () => {
    const r = await run({ actor: [say('done')], critic: ['hang'], criticTimeoutMs: 50 });
    expect(r.steps[0]?.proposals[0]?.verdict).toMatchObject({ decision: 'error', error: expect.stringMatching(/timed out/) });
    expect(r.end).toMatchObject({ outcome: 'done' });
  });

  it('unparsed critic output is recorded and handled by the rule', async () => {
    const r = await run({ actor: [say('a'), say('done')], critic: [{ decision: 'unparsed' }, { decision: 'approve' }], rule: 'fail-closed', user: ['hi'] });
    expect(r.steps[0]?.proposals.map((p) => p.verdict?.decision)).toEqual(['unparsed', 'approve']);
    expect(r.steps[0]?.executed).toEqual(say('done'));
  });

  it('abort ends the episode cleanly with outcome aborted', async () => {
    const ac = new AbortController();
    const actor = new ScriptedActorDouble([
      (req) => {
        if (req.messages.length > 2) ac.abort();
        return call('refund', { amount: 1 });
      },
      (req) => {
        if (req.messages.length > 2) ac.abort();
        return call('refund', { amount: 1 });
      },
    ]);
    const r = await run({ actor, critic: [] }, ac.signal);
    expect(r.end).toMatchObject({ type: 'episode_end', outcome: 'aborted', reward: 0 });
    expect(r.steps.length).toBeGreaterThanOrEqual(1);
  });

  it('tool that ends the episode, and the step limit', async () => {
    const ended = await run({ actor: [call('transfer')], critic: [] });
    expect(ended.end).toMatchObject({ outcome: 'done' });
    const limited = await run({ actor: Array.from({ length: 5 }, () => call('refund', { amount: 1 })), maxSteps: 3, critic: [] });
    expect(limited.steps).toHaveLength(3);
    expect(limited.end).toMatchObject({ outcome: 'max_steps', reward: 0 });
  });

  it('an actor failure ends the episode with the error, keeping the steps so far', async () => {
    const r = await run({ actor: [call('refund', { amount: 1 }), new Error('provider down')], critic: [] });
    expect(r.steps).toHaveLength(1);
    expect(r.end).toMatchObject({ outcome: 'error', error: 'provider down' });
  });
});

describe('runEpisode over HTTP (real SDK path against ProviderServerDouble)', () => {
  const server = new ProviderServerDouble();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('retries the actor after a 429 and supervises it with a remote critic', async () => {
    server
      .script('actor', { kind: 'status', status: 429, retryAfterS: 0 }, { kind: 'message', content: 'Refund of $500 approved!' }, { kind: 'message', content: 'I can refund up to $100.' })
      .script('critic', { kind: 'message', content: '{"decision":"revise","category":"policy","feedback":"Over the $100 limit"}' }, { kind: 'message', content: '```json\n{"decision": "approve"}\n```' });
    const pc = { kind: 'openai-compatible', baseUrl: `${server.url}/v1`, apiKey: 'k', temperature: 0, maxTokens: 100, stream: false } as const;
    const retry = { retries: 2, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 };
    const r = await run({
      env: createPolicyChatEnv('Never promise refunds over $100.'),
      actor: new OpenAICompatibleActor({ ...pc, model: 'actor' }, { retry }),
      critic: new RemoteCritic({ ...pc, model: 'critic' }, { retry }),
      user: ['Refund me $500'],
    });
    expect(r.steps[0]?.proposals.map((p) => [p.action, p.verdict?.decision])).toEqual([
      [say('Refund of $500 approved!'), 'revise'],
      [say('I can refund up to $100.'), 'approve'],
    ]);
    expect(r.steps[0]?.proposals[0]?.verdict).toMatchObject({ category: 'policy', feedback: 'Over the $100 limit', usage: { promptTokens: 11, completionTokens: 7 } });
    expect(r.user.heard).toEqual(['I can refund up to $100.']);
    expect(server.requests.filter((q) => q.model === 'actor')).toHaveLength(3);
  });
});

describe('a failed turn keeps the episode open (recover)', () => {
  const server = new ProviderServerDouble();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  const pc = { kind: 'openai-compatible', apiKey: 'k', temperature: 0, maxTokens: 100, stream: false } as const;
  const once = { retries: 0, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 2000 };

  it('a 500 mid-chat, then Retry: the same step runs again, and the stored trace has no gap and no duplicate', async () => {
    server.reset();
    server.script('actor', { kind: 'message', content: 'Hello, how can I help?' }, { kind: 'status', status: 500 }, { kind: 'message', content: 'Refunds up to $100 are fine.' });
    const actor = new OpenAICompatibleActor({ ...pc, baseUrl: `${server.url}/v1`, model: 'actor' }, { retry: once });
    const asked: string[] = [];
    const r = await run({
      env: createPolicyChatEnv('Never promise refunds over $100.'),
      actor,
      mode: 'off',
      user: ['hi', 'I want a refund'],
      recover: () => {
        asked.push('retry');
        return Promise.resolve({ kind: 'retry' });
      },
      maxSteps: 2,
    });
    const failed = r.events.filter((e) => e.type === 'turn_failed');
    expect(failed).toEqual([expect.objectContaining({ stepIndex: 1, status: 500, code: 'provider' })]);
    expect(asked).toEqual(['retry']);
    expect(r.steps.map((s) => [s.index, s.executed])).toEqual([
      [0, say('Hello, how can I help?')],
      [1, say('Refunds up to $100 are fine.')],
    ]);
    const sink = new Map<string, EpisodeTrace>();
    const recorder = new TraceRecorder({ put: (t) => Promise.resolve(void sink.set(t.id, t)) });
    for (const e of r.events) await recorder.record(e);
    expect(sink.get('ep1')?.timeline.map((e) => (e.type === 'user' ? `user:${e.content}` : e.type === 'step' ? `step:${e.step.index}` : e.type))).toEqual(['user:hi', 'step:0', 'user:I want a refund', 'step:1', 'user:###STOP###']);
    expect(r.end).toMatchObject({ outcome: 'done' });
  });

  it('Edit and resend replaces the last message, in the trace and in what the actor is asked', async () => {
    server.reset();
    server.script('actor', { kind: 'status', status: 400, message: "This model's maximum context length is 10 tokens" }, { kind: 'message', content: 'Short and sweet.' });
    const actor = new OpenAICompatibleActor({ ...pc, baseUrl: `${server.url}/v1`, model: 'actor' }, { retry: once });
    const r = await run({ env: createPolicyChatEnv('p'), actor, mode: 'off', user: ['a very long first message'], maxSteps: 1, recover: () => Promise.resolve({ kind: 'edit', text: 'short one' }) });
    expect(r.events.map((e) => e.type)).toEqual(['episode_start', 'user', 'turn_failed', 'user_edit', 'proposal', 'step', 'user', 'episode_end']);
    expect(JSON.stringify(server.requests.at(-1)?.body.messages)).toContain('short one');
    expect(JSON.stringify(server.requests.at(-1)?.body.messages)).not.toContain('very long');
    const sink = new Map<string, EpisodeTrace>();
    const recorder = new TraceRecorder({ put: (t) => Promise.resolve(void sink.set(t.id, t)) });
    for (const e of r.events) await recorder.record(e);
    expect(sink.get('ep1')?.timeline[0]).toMatchObject({ type: 'user', content: 'short one' });
  });

  it("the simulated user's model fails (500): Retry asks it again with the same conversation; the trace has no gap and no duplicate", async () => {
    server.reset();
    const fail = { kind: 'status', status: 500, message: 'user model down' } as const;
    server.script('user', fail, { kind: 'message', content: 'I want to return my order.' }, fail, fail, { kind: 'message', content: 'Thanks. ###STOP###' });
    server.script('actor', { kind: 'message', content: 'Which order?' });
    const userModel = new OpenAICompatibleActor({ ...pc, baseUrl: `${server.url}/v1`, model: 'user' }, { retry: once });
    const actor = new OpenAICompatibleActor({ ...pc, baseUrl: `${server.url}/v1`, model: 'actor' }, { retry: once });
    const choices: string[] = [];
    const r = await run({
      env: createPolicyChatEnv('p'),
      actor,
      mode: 'off',
      userSide: new SimulatedUser(userModel, 'You are a user. {instruction}', 'Return order #W1.'),
      recover: () => {
        choices.push('retry');
        return Promise.resolve({ kind: 'retry' });
      },
    });
    const failed = r.events.filter((e) => e.type === 'turn_failed');
    // The opening (before step 0) failed once, the reply to step 0 (before step 1) twice.
    expect(failed).toEqual([
      expect.objectContaining({ side: 'user', stepIndex: 0, status: 500, code: 'provider' }),
      expect.objectContaining({ side: 'user', stepIndex: 1, status: 500 }),
      expect.objectContaining({ side: 'user', stepIndex: 1, status: 500 }),
    ]);
    expect(choices).toHaveLength(3);
    // Every retry of the user model sent the conversation it would have sent the first time: no duplicated agent turn.
    const userBodies = server.requests.filter((q) => q.model === 'user').map((q) => JSON.stringify(q.body.messages));
    expect(userBodies).toHaveLength(5);
    expect(userBodies[1]).toBe(userBodies[0]);
    expect(userBodies[3]).toBe(userBodies[2]);
    expect(userBodies[4]).toBe(userBodies[2]);
    expect(userBodies[4]?.match(/Which order\?/g)).toHaveLength(1);
    const sink = new Map<string, EpisodeTrace>();
    const recorder = new TraceRecorder({ put: (t) => Promise.resolve(void sink.set(t.id, t)) });
    for (const e of r.events) await recorder.record(e);
    expect(sink.get('ep1')?.timeline.map((e) => (e.type === 'user' ? `user:${e.content}` : e.type === 'step' ? `step:${e.step.index}` : e.type))).toEqual([
      'user:I want to return my order.',
      'step:0',
      'user:Thanks. ###STOP###',
    ]);
    expect(r.end).toMatchObject({ outcome: 'done' });
  });

  it('a user side that is not retry-safe is not asked again: its failure ends the episode, even with recover', async () => {
    server.reset();
    server.script('user', { kind: 'status', status: 500, message: 'user model down' });
    const userModel = new OpenAICompatibleActor({ ...pc, baseUrl: `${server.url}/v1`, model: 'user' }, { retry: once });
    const sim = new SimulatedUser(userModel, '{instruction}', 'x');
    // The same user without the retrySafe promise (as a simulator that keeps state from a failed call would be).
    const unsafe: UserSide = { kind: 'simulated', first: (sig) => sim.first(sig), reply: (m, sig) => sim.reply(m, sig) };
    let asked = 0;
    const r = await run({ env: createPolicyChatEnv('p'), actor: [say('never asked')], mode: 'off', userSide: unsafe, recover: () => (asked++, Promise.resolve({ kind: 'retry' })) });
    expect(asked).toBe(0);
    expect(r.end).toMatchObject({ outcome: 'error', error: expect.stringContaining('user model down') });
  });

  it("without recover (headless runs) a simulated user's failure still ends the episode with its error", async () => {
    server.reset();
    server.script('user', { kind: 'status', status: 500, message: 'user model down' });
    const userModel = new OpenAICompatibleActor({ ...pc, baseUrl: `${server.url}/v1`, model: 'user' }, { retry: once });
    const r = await run({ env: createPolicyChatEnv('p'), actor: [say('never asked')], mode: 'off', userSide: new SimulatedUser(userModel, '{instruction}', 'x') });
    expect(r.events.map((e) => e.type)).toEqual(['episode_start', 'episode_end']);
    expect(r.end).toMatchObject({ outcome: 'error', error: expect.stringContaining('user model down') });
  });

  it('ending after a failure ends with the error; Stop while it waits ends aborted', async () => {
    const ended = await run({ actor: [new Error('provider down')], mode: 'off', recover: () => Promise.resolve({ kind: 'end' }) });
    expect(ended.end).toMatchObject({ outcome: 'error', error: 'provider down' });
    const ac = new AbortController();
    const stopped = await run(
      {
        actor: [new Error('provider down')],
        mode: 'off',
        recover: (signal) =>
          new Promise((_, reject) => {
            signal.addEventListener('abort', () => reject(new Error('stopped')));
            ac.abort();
          }),
      },
      ac.signal,
    );
    expect(stopped.end).toMatchObject({ outcome: 'aborted' });
  });
});

describe('resume after a reload', () => {
  it('replays executed tool calls on the fresh env, then continues from the next step', async () => {
    const first = await run({ actor: [call('refund', { amount: 10 }), say('refunded, anything else?')], critic: [], user: ['refund $10', 'also $20'] });
    // Keep what a reload would leave behind: everything up to the agent's question.
    const stored = first.events.flatMap((e): TimelineEntry[] => (e.type === 'user' ? [e] : e.type === 'step' ? [{ type: 'step', step: e.step }] : [])).slice(0, 3);
    const replayed: string[] = [];
    const env: Env = { ...toolEnv, execute: (c) => (replayed.push(JSON.stringify(c.arguments)), { observation: 'ok' }) };
    const actor = new ScriptedActorDouble([call('refund', { amount: 20 }), say('done')]);
    const user = new ScriptedUserDouble(['also $20']);
    const events: LoopEvent[] = [];
    for await (const e of runEpisode(
      { episodeId: 'ep1', env, user, actor, mode: 'off', maxRevisions: 2, failureRule: 'fail-open', maxSteps: 30, criticTimeoutMs: 1000, meta: { environment: { family: 'policy-chat' } }, resume: stored },
      new AbortController().signal,
    )) {
      events.push(e);
    }
    expect(events.some((e) => e.type === 'episode_start')).toBe(false);
    expect(replayed).toEqual(['{"amount":10}', '{"amount":20}']);
    expect(user.heard).toEqual(['refunded, anything else?', 'done']);
    const steps = events.flatMap((e) => (e.type === 'step' ? [e.step.index] : []));
    expect(steps).toEqual([2, 3]);
    // The actor sees the whole restored trajectory.
    expect(actor.requests[0]?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(events.at(-1)).toMatchObject({ outcome: 'done', reward: 1 });
  });
});

describe('the first user message', () => {
  it('never ends the episode, even with ###STOP### in it (tau-bench Env.reset never checks it): the agent acts', async () => {
    const said: string[] = [];
    const user: EpisodeConfig['user'] = {
      kind: 'simulated',
      first: async () => ({ content: 'Hi! ###STOP###', stop: true }),
      reply: async (m) => {
        said.push(m);
        return { content: '###STOP###', stop: true };
      },
    };
    const events: LoopEvent[] = [];
    for await (const e of runEpisode(
      {
        episodeId: 'ep-stop',
        env: toolEnv,
        user,
        actor: new ScriptedActorDouble([say('done, how can I help?')]),
        mode: 'off',
        maxRevisions: 2,
        failureRule: 'fail-open',
        maxSteps: 30,
        criticTimeoutMs: 5000,
        meta: { environment: { family: 'policy-chat' } },
      },
      new AbortController().signal,
    )) events.push(e);
    expect(events.filter((e) => e.type === 'step')).toHaveLength(1);
    expect(said).toEqual(['done, how can I help?']);
    expect(events.at(-1)).toMatchObject({ type: 'episode_end', outcome: 'done', reward: 1 });
  });
});

describe('critic errors are never silent', () => {
  it('records a context overflow with its code, and three errors in a row make the critic blind', async () => {
    const overflow = ContextOverflowError.of(9000, 4096);
    const { steps } = await run({
      actor: [call('refund', { amount: 1 }), call('refund', { amount: 2 }), call('refund', { amount: 3 }), say('done')],
      critic: [overflow, overflow, new Error('network down'), { decision: 'approve' }],
      user: ['refund please'],
    });
    const verdicts = steps.flatMap((s) => s.proposals.map((p) => p.verdict));
    expect(verdicts.map((v) => v?.errorCode)).toEqual(['context-overflow', 'context-overflow', undefined, undefined]);
    expect(verdicts[0]?.error).toContain('9000 tokens');
    const health = criticHealth(steps);
    expect(health).toEqual({ errors: 3, contextOverflows: 2, longestErrorRun: 3, blind: true });
    expect(blindBannerText(health)).toMatch(/^The critic is not checking anything: 3 critic errors in a row; 2 context overflows/);
    expect(criticHealth(steps.slice(1)).blind).toBe(false);
  });

  it('records a timeout with the timeout code', async () => {
    const { steps } = await run({ actor: [say('done')], critic: ['hang'], criticTimeoutMs: 50 });
    expect(steps[0]?.proposals[0]?.verdict).toMatchObject({ decision: 'error', errorCode: 'timeout' });
  });
});

describe('critic preparation while the actor writes', () => {
  it('prepares the exact judged input minus the proposal before each actor call, and aborts it with the episode', async () => {
    const prepared: Array<{ input: Omit<CriticInput, 'proposal'>; signal: AbortSignal; actorCallsBefore: number }> = [];
    const judged: CriticInput[] = [];
    const actor = new ScriptedActorDouble([call('refund', { amount: 500 }), call('refund', { amount: 50 }), say('done')]);
    const critic: Critic = {
      label: 'preparing-critic',
      prepare: async (input, signal) => {
        prepared.push({ input, signal, actorCallsBefore: actor.requests.length });
      },
      judge: async (input) => {
        judged.push(structuredClone(input));
        const verdict = judged.length === 1 ? { decision: 'revise' as const, feedback: 'over $100' } : { decision: 'approve' as const };
        return { ...verdict, latencyMs: 1, critic: 'preparing-critic' };
      },
    };
    const r = await run({ actor, critic });
    expect(r.end).toMatchObject({ outcome: 'done' });
    expect(prepared).toHaveLength(judged.length);
    prepared.forEach((p, i) => {
      const { proposal, ...rest } = judged[i] ?? ({} as CriticInput);
      expect(proposal).toBeDefined();
      expect(p.input).toEqual(rest);
      expect(p.actorCallsBefore).toBe(i);
    });
    // The revision attempt is prepared with the rejected attempt in it.
    expect(prepared[1]?.input.previousAttempts).toHaveLength(1);
  });

  it('the episode abort reaches the preparation; a failing preparation changes nothing', async () => {
    const ctrl = new AbortController();
    const signals: AbortSignal[] = [];
    const critic: Critic = {
      label: 'c',
      prepare: (_input, signal) => {
        signals.push(signal);
        return Promise.reject(new Error('prefill failed'));
      },
      judge: async () => ({ decision: 'approve', latencyMs: 1, critic: 'c' }),
    };
    const r = await run({ actor: [say('hello'), say('done')], critic, user: ['hi', 'thanks'] }, ctrl.signal);
    expect(r.end).toMatchObject({ outcome: 'done' });
    expect(r.steps.map((s) => s.proposals[0]?.verdict?.decision)).toEqual(['approve', 'approve']);
    expect(signals.length).toBe(2);
    expect(signals.some((s) => s.aborted)).toBe(false);
    ctrl.abort();
    expect(signals.every((s) => s.aborted)).toBe(true);
  });
});

const deltasOf = (events: LoopEvent[]) => events.flatMap((e) => (e.type === 'actor_delta' ? [e] : []));
/** The events with each run of deltas folded to one entry, for the order of things. */
const shape = (events: LoopEvent[]) =>
  events.flatMap((e, i) => (e.type === 'actor_delta' ? (events[i - 1]?.type === 'actor_delta' ? [] : [`delta ${e.stepIndex}.${e.attempt}`]) : [e.type]));

describe('streamed text is a loop event', () => {

  it('deltas arrive in order, tagged with step and attempt, before the proposal they become', async () => {
    const lookup: Action = { ...call('refund', { amount: 100 }), content: 'Let me refund the $100 now.' };
    const actor = new StreamingActorDouble([
      { action: say('Refund of $500 approved, it is on its way to your card!') },
      { action: lookup },
      { action: say('I can refund up to $100, and I did: done.') },
    ]);
    const r = await run({ actor, critic: [{ decision: 'revise', feedback: 'Over the $100 limit' }, { decision: 'approve' }, { decision: 'approve' }], user: ['Refund me $500'] });
    expect(shape(r.events)).toEqual([
      'episode_start', 'user',
      'delta 0.0', 'proposal', 'verdict', 'delta 0.1', 'proposal', 'verdict', 'step',
      'delta 1.0', 'proposal', 'verdict', 'step', 'user', 'episode_end',
    ]);
    // Each proposal's text is exactly the deltas just before it, and every chunk the actor sent arrived once, in order.
    const proposals = r.events.flatMap((e) => (e.type === 'proposal' ? [e] : []));
    for (const p of proposals) {
      const text = deltasOf(r.events).filter((d) => d.stepIndex === p.stepIndex && d.attempt === p.proposal.attempt).map((d) => d.text).join('');
      expect(text).toBe(p.proposal.action.content);
    }
    expect(deltasOf(r.events).map((d) => d.text)).toEqual(actor.sent);
    expect(actor.sent.length).toBeGreaterThan(20);
    expect(r.steps.map((s) => s.executed)).toEqual([lookup, say('I can refund up to $100, and I did: done.')]);
  });

  it('never holds the actor back: a slow reader gets every delta after the actor has finished writing', async () => {
    const actor = new StreamingActorDouble([{ action: say('One two three four five six seven eight nine ten.') }]);
    const events: LoopEvent[] = [];
    let sentWhenFirstRead = -1;
    for await (const e of runEpisode(
      { episodeId: 'slow', env: toolEnv, user: new ScriptedUserDouble(['hi']), actor, mode: 'off', maxRevisions: 0, failureRule: 'fail-open', maxSteps: 5, criticTimeoutMs: 1000, meta: { environment: { family: 'policy-chat' } } },
      new AbortController().signal,
    )) {
      if (e.type === 'actor_delta' && sentWhenFirstRead < 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        sentWhenFirstRead = actor.sent.length;
      }
      events.push(e);
    }
    expect(sentWhenFirstRead).toBe(10);
    expect(deltasOf(events).map((d) => d.text)).toEqual(actor.sent);
    expect(events.at(-1)).toMatchObject({ type: 'episode_end', outcome: 'done' });
  });

  it('abort mid-stream ends the episode cleanly: the text so far, no proposal, outcome aborted', async () => {
    const ac = new AbortController();
    const actor = new StreamingActorDouble([{ action: say('Your refund of five hundred dollars is approved.'), stallAfter: 3 }]);
    const events: LoopEvent[] = [];
    for await (const e of runEpisode(
      { episodeId: 'cut', env: toolEnv, user: new ScriptedUserDouble(['hi']), actor, mode: 'off', maxRevisions: 0, failureRule: 'fail-open', maxSteps: 5, criticTimeoutMs: 1000, meta: { environment: { family: 'policy-chat' } } },
      ac.signal,
    )) {
      events.push(e);
      if (deltasOf(events).length === 3) ac.abort();
    }
    expect(shape(events)).toEqual(['episode_start', 'user', 'delta 0.0', 'episode_end']);
    expect(deltasOf(events).map((d) => d.text).join('')).toBe('Your refund of ');
    expect(events.at(-1)).toMatchObject({ outcome: 'aborted', reward: 0 });
  });
});

describe('streamed text over HTTP (real SDK path against ProviderServerDouble)', () => {
  const server = new ProviderServerDouble();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  const retry = { retries: 1, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 5000 };
  const reply = 'I can refund up to $100 under our policy; anything above needs a supervisor. Shall I go ahead with $100?';

  it.each([
    ['OpenAI-compatible', 'openai-compatible', () => `${server.url}/v1`],
    ['Anthropic', 'anthropic', () => server.url],
  ] as const)('%s: the deltas concatenate to the final proposal', async (_name, kind, baseUrl) => {
    const model = `stream-actor-${kind}`;
    server.script(model, { kind: 'message', content: reply }).script('stream-critic', { kind: 'message', content: '{"decision":"approve"}' });
    const pc = { kind, baseUrl: baseUrl(), apiKey: 'k', temperature: 0, maxTokens: 100, stream: true, model } as const;
    const r = await run({
      env: createPolicyChatEnv('Never promise refunds over $100.'),
      actor: kind === 'anthropic' ? new AnthropicActor(pc, { retry }) : new OpenAICompatibleActor(pc, { retry }),
      critic: new RemoteCritic({ ...pc, kind: 'openai-compatible', baseUrl: `${server.url}/v1`, model: 'stream-critic' }, { retry }),
      user: ['Refund me $500'],
    });
    const deltas = deltasOf(r.events);
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(deltas.every((d) => d.stepIndex === 0 && d.attempt === 0)).toBe(true);
    expect(deltas.map((d) => d.text).join('')).toBe(reply);
    expect(r.steps[0]?.proposals[0]?.action).toEqual(say(reply));
    expect(shape(r.events)).toEqual(['episode_start', 'user', 'delta 0.0', 'proposal', 'verdict', 'step', 'user', 'episode_end']);
    expect(server.requests.filter((q) => q.model === model).map((q) => q.body.stream)).toEqual([true]);
  });

  it('abort while the provider is mid-stream: the first half shows, the episode ends aborted, nothing is retried', async () => {
    server.script('stall-actor', { kind: 'stall', content: reply });
    const pc = { kind: 'openai-compatible', baseUrl: `${server.url}/v1`, apiKey: 'k', temperature: 0, maxTokens: 100, stream: true } as const;
    const ac = new AbortController();
    const events: LoopEvent[] = [];
    for await (const e of runEpisode(
      {
        episodeId: 'stall',
        env: createPolicyChatEnv('Be kind.'),
        user: new ScriptedUserDouble(['Refund me $500']),
        actor: new OpenAICompatibleActor({ ...pc, model: 'stall-actor' }, { retry }),
        mode: 'off',
        maxRevisions: 0,
        failureRule: 'fail-open',
        maxSteps: 5,
        criticTimeoutMs: 1000,
        meta: { environment: { family: 'policy-chat' } },
      },
      ac.signal,
    )) {
      events.push(e);
      if (e.type === 'actor_delta') ac.abort();
    }
    expect(shape(events)).toEqual(['episode_start', 'user', 'delta 0.0', 'episode_end']);
    expect(deltasOf(events).map((d) => d.text).join('')).toBe(reply.slice(0, Math.ceil(reply.length / 2)));
    expect(events.at(-1)).toMatchObject({ outcome: 'aborted' });
    expect(server.requests.filter((q) => q.model === 'stall-actor')).toHaveLength(1);
  });
});
