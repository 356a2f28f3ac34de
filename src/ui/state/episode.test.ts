import { describe, expect, it } from 'vitest';
import { createPolicyChatEnv } from '../../lib/envs/policy-chat/env.ts';
import { ScriptedActorDouble, ScriptedCriticDouble, StreamingActorDouble } from '../../../tests/doubles/scripted-doubles.ts';
import { TRACE_SCHEMA_VERSION, type EpisodeTrace } from '../../lib/traces/schema.ts';
import { ProviderError } from '../../lib/errors.ts';
import { SimulatedUser } from '../../lib/envs/tau-bench/user.ts';
import { EpisodeSession, retryAnnouncement, retryLine, type SessionClock, type StartOptions } from './episode.svelte.ts';

const opts = (): StartOptions => ({
  env: createPolicyChatEnv('Be kind.'),
  actor: new ScriptedActorDouble([{ kind: 'message', content: 'Hello!' }]),
  critic: new ScriptedCriticDouble([{ decision: 'approve' }]),
  loop: { mode: 'intervene', maxRevisions: 2, failureRule: 'fail-open', maxSteps: 30, criticTimeoutMs: 1000, meta: { environment: { family: 'policy-chat' } } },
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error('condition not reached');
}

describe('EpisodeSession', () => {
  it('shows a step only once it is saved, and records a replaced episode to its aborted end', async () => {
    const saved = new Map<string, EpisodeTrace>();
    const session = new EpisodeSession({ put: async (t) => void saved.set(t.id, t) });

    session.start(opts(), 'hi');
    await until(() => session.waitingForUser);
    const first = session.id ?? '';
    const onScreen = session.timeline.length;
    expect(saved.get(first)?.timeline.length).toBeGreaterThanOrEqual(onScreen);

    // A new episode while the first waits for the person: the first must not stay 'running' in storage.
    session.start(opts(), 'again');
    await until(() => saved.get(first)?.status === 'aborted');
    expect(saved.get(first)?.status).toBe('aborted');
    expect(session.id).not.toBe(first);
  });

  it('shows streamed text as it arrives, stores none of it, and clears it once the proposal is in', async () => {
    const saved = new Map<string, EpisodeTrace>();
    const session = new EpisodeSession({ put: async (t) => void saved.set(t.id, structuredClone(t)) });
    const reply = 'Hello! How can I help you with your order today?';
    const actor = new StreamingActorDouble([{ action: { kind: 'message', content: reply } }]);
    let seenMidway = '';
    const original = actor.propose.bind(actor);
    actor.propose = (req, signal, onText) =>
      original(req, signal, (text) => {
        onText?.(text);
        if (actor.sent.length === 4) void Promise.resolve().then(() => (seenMidway = session.streaming));
      });
    session.start({ ...opts(), actor }, 'hi');
    await until(() => session.waitingForUser);
    // Midway the screen showed a prefix of the reply; at the end the step holds it and the live text is gone.
    expect(seenMidway.length).toBeGreaterThan(0);
    expect(reply.startsWith(seenMidway)).toBe(true);
    expect(session.streaming).toBe('');
    expect(session.timeline.at(-1)).toMatchObject({ type: 'step', step: { executed: { kind: 'message', content: reply } } });
    expect(JSON.stringify(saved.get(session.id ?? ''))).not.toContain('actor_delta');
  });

  it('keeps the text streamed so far on screen when stopped mid-reply, and a new episode starts blank', async () => {
    const session = new EpisodeSession({ put: async () => undefined });
    const actor = new StreamingActorDouble([{ action: { kind: 'message', content: 'Let me look that order up for you.' }, stallAfter: 3 }]);
    session.start({ ...opts(), actor }, 'hi');
    await until(() => session.streaming === 'Let me look ');
    session.stop();
    await until(() => session.status === 'aborted');
    expect(session.streaming).toBe('Let me look ');
    expect(session.inFlight).toEqual([]);
    session.start({ ...opts(), actor: new StreamingActorDouble([{ action: { kind: 'message', content: 'Hi.' }, stallAfter: 0 }]) }, 'again');
    expect(session.streaming).toBe('');
    session.stop();
  });

  it('counts a provider retry down live, announces each attempt once, and stops ticking when the episode ends', async () => {
    // A fake clock: time moves only when the test says, and the ticks it was asked for run by hand.
    let t = 1_000_000;
    const ticks = new Set<() => void>();
    const clock: SessionClock = { now: () => t, every: (_ms, fn) => (ticks.add(fn), () => ticks.delete(fn)) };
    const tick = (ms: number) => {
      t += ms;
      for (const fn of [...ticks]) fn();
    };
    const session = new EpisodeSession({ put: async () => undefined }, clock);
    // The actor's call stays open (the provider retrying underneath) until stopped.
    session.start({ ...opts(), actor: new StreamingActorDouble([{ action: { kind: 'message', content: 'Hello there.' }, stallAfter: 0 }]) }, 'hi');
    await until(() => session.activity === 'actor thinking…');
    const error = new ProviderError('HTTP 500: upstream exploded', 500, true);
    session.noteRetry({ attempt: 1, delayMs: 8000, error }, 4);
    expect(session.activity).toBe('retrying (2 of 4, 8 s)');
    const said = session.announcement;
    expect(said).toBe('The provider call failed; retrying, attempt 2 of 4, in 8 seconds.');
    tick(250);
    expect(session.activity).toBe('retrying (2 of 4, 8 s)');
    tick(2750);
    expect(session.activity).toBe('retrying (2 of 4, 5 s)');
    // The countdown is not read out every second: the announcement stays as it was.
    expect(session.announcement).toBe(said);
    tick(5000);
    expect(session.activity).toBe('retrying (2 of 4, now)');
    // The next attempt fails too: a new countdown, announced once more; one ticker, not two.
    session.noteRetry({ attempt: 2, delayMs: 1000, error }, 4);
    expect(ticks.size).toBe(1);
    expect(session.activity).toBe('retrying (3 of 4, 1 s)');
    expect(session.announcement).toBe('The provider call failed; retrying, attempt 3 of 4, in 1 second.');
    session.stop();
    await until(() => session.status === 'aborted');
    expect(session.activity).toBeUndefined();
    expect(ticks.size).toBe(0);
  });

  it('retryLine rounds the seconds left up and says "now" once they are spent', () => {
    const r = { attempt: 1, of: 4, delayMs: 2000, nextAt: 10_000, error: 'x' };
    expect([8_000, 8_001, 9_000, 9_999, 10_000, 12_000].map((now) => retryLine(r, now))).toEqual([
      'retrying (1 of 4, 2 s)',
      'retrying (1 of 4, 2 s)',
      'retrying (1 of 4, 1 s)',
      'retrying (1 of 4, 1 s)',
      'retrying (1 of 4, now)',
      'retrying (1 of 4, now)',
    ]);
    expect(retryAnnouncement({ ...r, delayMs: 400 })).toMatch(/in 1 second\.$/);
  });

  it('says the simulated user is replying while its model works, not the actor', async () => {
    const session = new EpisodeSession({ put: async () => undefined });
    // The simulated user's model call stays open until stopped.
    const userModel = new StreamingActorDouble([{ action: { kind: 'message', content: 'Hi, I need a refund.' }, stallAfter: 0 }]);
    session.start({ ...opts(), user: new SimulatedUser(userModel, '{instruction}', 'Ask for a refund.') });
    await until(() => session.activity !== undefined);
    expect(session.activity).toBe('simulated user replying…');
    session.stop();
    await until(() => session.status === 'aborted');
  });

  it('resumed after the person used their phone mid-turn, it is still their turn; their reply is stored after the phone call', async () => {
    const saved = new Map<string, EpisodeTrace>();
    const session = new EpisodeSession({ put: async (t) => void saved.set(t.id, structuredClone(t)) });
    const trace: EpisodeTrace = {
      schemaVersion: TRACE_SCHEMA_VERSION,
      id: 'cut',
      createdAt: 1,
      updatedAt: 3,
      meta: { environment: { family: 'policy-chat' }, actor: 'a', mode: 'off', maxRevisions: 2, failureRule: 'fail-open', userKind: 'human' },
      policy: 'Be kind.',
      status: 'running',
      timeline: [
        { type: 'user', content: 'hi', at: 1 },
        { type: 'step', step: { index: 0, proposals: [], executed: { kind: 'message', content: 'Please restart your phone.' }, flagged: false, observation: null, startedAt: 2, endedAt: 2 } },
        { type: 'user_tool', call: { id: 'person_0', name: 'reboot_device', arguments: {} }, observation: 'Restarting…', error: false, at: 3 },
      ],
    };
    session.resume({ ...opts(), actor: new ScriptedActorDouble([{ kind: 'message', content: 'Glad it works.' }]), critic: undefined, loop: { ...opts().loop, mode: 'off' } }, trace);
    expect(session.waitingForUser).toBe(true);
    expect(session.activity).toBeUndefined();
    session.say('It works now.');
    await until(() => saved.get('cut')?.timeline.length === 5);
    expect(saved.get('cut')?.timeline.map((e) => e.type)).toEqual(['user', 'step', 'user_tool', 'user', 'step']);
    session.stop();
    await until(() => session.status === 'aborted');
  });
});
