import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { runEpisode } from '../loop/run-episode.ts';
import { createPolicyChatEnv } from '../envs/policy-chat/env.ts';
import { ScriptedActorDouble, ScriptedCriticDouble, ScriptedUserDouble, StreamingActorDouble } from '../../../tests/doubles/scripted-doubles.ts';
import type { EpisodeTrace } from './schema.ts';
import { TraceRecorder } from './recorder.ts';
import { TraceStore, toStorageError } from './trace-store.ts';
import { StorageError } from '../errors.ts';

function episode(signal = new AbortController().signal) {
  return runEpisode(
    {
      episodeId: 'ep-rec',
      env: createPolicyChatEnv('Be kind.'),
      user: new ScriptedUserDouble(['hello', 'thanks']),
      actor: new ScriptedActorDouble([{ kind: 'message', content: 'rude' }, { kind: 'message', content: 'hi there' }, { kind: 'message', content: 'bye' }]),
      critic: new ScriptedCriticDouble([{ decision: 'revise', feedback: 'be kind' }]),
      mode: 'intervene',
      maxRevisions: 2,
      failureRule: 'fail-open',
      maxSteps: 30,
      criticTimeoutMs: 1000,
      meta: { environment: { family: 'policy-chat' } },
    },
    signal,
  );
}

describe('TraceRecorder + TraceStore', () => {
  it('persists after every user turn and step, and the stored trace validates', async () => {
    const store = new TraceStore('test-rec', 'episodes');
    const rec = new TraceRecorder(store);
    const seen: number[] = [];
    for await (const e of episode()) {
      await rec.record(e);
      const stored = await store.get('ep-rec');
      seen.push(stored?.timeline.length ?? -1);
    }
    const t = await store.get('ep-rec');
    expect(t?.status).toBe('done');
    expect(t?.timeline.map((e) => e.type)).toEqual(['user', 'step', 'user', 'step', 'user']);
    const first = t?.timeline[1];
    expect(first?.type === 'step' && first.step.proposals.map((p) => p.action)).toEqual([
      { kind: 'message', content: 'rude' },
      { kind: 'message', content: 'hi there' },
    ]);
    // Grows one entry at a time: a reload mid-episode loses at most the step in flight.
    expect(seen.filter((n, i) => n !== seen[i - 1])).toEqual([0, 1, 2, 3, 4, 5]);
    const { traces } = await store.list();
    expect(traces.map((x) => x.id)).toEqual(['ep-rec']);
  });

  it('writes snapshots: a later event, or a change to the objects the loop emitted, never alters a trace already handed to the sink', async () => {
    const puts: EpisodeTrace[] = [];
    const rec = new TraceRecorder({ put: async (t) => void puts.push(t) });
    const events = [];
    for await (const e of episode()) events.push(e);
    for (const e of events) await rec.record(e);
    const lengths = puts.map((t) => t.timeline.length);
    const statuses = puts.map((t) => t.status);
    // Mutate every object the loop emitted: the recorded snapshots keep what was recorded.
    for (const e of events) {
      if (e.type === 'step') e.step.proposals.length = 0;
      if (e.type === 'episode_start') e.meta.actor = 'changed';
    }
    expect(puts.map((t) => t.timeline.length)).toEqual(lengths);
    expect(puts.map((t) => t.status)).toEqual(statuses);
    expect(statuses.at(-1)).toBe('done');
    expect(statuses.slice(0, -1).every((s) => s === 'running')).toBe(true);
    for (const t of puts) {
      expect(t.meta.actor).not.toBe('changed');
      for (const entry of t.timeline) if (entry.type === 'step') expect(entry.step.proposals.length).toBeGreaterThan(0);
    }
  });

  it('maps a full quota to a clear StorageError and the recorder surfaces it', async () => {
    const err = toStorageError(new DOMException('The quota has been exceeded.', 'QuotaExceededError'), 'episode x');
    expect(err).toBeInstanceOf(StorageError);
    expect(err.quotaExceeded).toBe(true);
    expect(err.message).toMatch(/storage is full: episode x was not saved/);
    const rec = new TraceRecorder({ put: async () => Promise.reject(err) });
    const first = await episode().next();
    if (first.done) throw new Error('no event');
    await expect(rec.record(first.value)).rejects.toBe(err);
    expect(rec.lastError).toBe(err);
  });

  it('stores no streamed text: a delta never causes a write, and the stored trace holds only the proposals', async () => {
    const store = new TraceStore('test-rec-stream', 'episodes');
    const writes: EpisodeTrace[] = [];
    const rec = new TraceRecorder({ put: async (t) => (writes.push(structuredClone(t)), store.put(t)) });
    const reply = 'I am sorry, I can only refund up to one hundred dollars under our policy.';
    const events = runEpisode(
      {
        episodeId: 'ep-stream',
        env: createPolicyChatEnv('Be kind.'),
        user: new ScriptedUserDouble(['refund me $500']),
        actor: new StreamingActorDouble([{ action: { kind: 'message', content: reply } }]),
        critic: new ScriptedCriticDouble([{ decision: 'approve' }]),
        mode: 'intervene',
        maxRevisions: 2,
        failureRule: 'fail-open',
        maxSteps: 30,
        criticTimeoutMs: 1000,
        meta: { environment: { family: 'policy-chat' } },
      },
      new AbortController().signal,
    );
    let deltas = 0;
    for await (const e of events) {
      const before = writes.length;
      await rec.record(e);
      if (e.type === 'actor_delta') {
        deltas++;
        expect(writes.length).toBe(before);
      }
    }
    expect(deltas).toBe(reply.split(' ').length);
    // One write each for the start, the user turn, the step, the closing user turn (###STOP###) and the end.
    expect(writes).toHaveLength(5);
    const stored = await store.get('ep-stream');
    expect(stored?.timeline.map((e) => e.type)).toEqual(['user', 'step', 'user']);
    expect(JSON.stringify(stored)).not.toContain('actor_delta');
    const step = stored?.timeline[1];
    expect(step?.type === 'step' && step.step.proposals.map((p) => p.action)).toEqual([{ kind: 'message', content: reply }]);
  });
});
