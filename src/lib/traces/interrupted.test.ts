import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { EpisodeEnvironment } from '../envs/environment.ts';
import { canResume, dismissInterrupted, dismissedInterrupted, latestInterruptedHumanEpisode } from './interrupted.ts';
import { LocksDouble } from '../../../tests/doubles/locks-double.ts';
import { holdEpisode, liveEpisodeIds } from './liveness.ts';
import { TRACE_SCHEMA_VERSION, type EpisodeTrace } from './schema.ts';
import { TraceStore } from './trace-store.ts';

function trace(id: string, createdAt: number, over: { status?: EpisodeTrace['status']; environment?: EpisodeEnvironment; userKind?: 'human' | 'simulated' }): EpisodeTrace {
  return {
    schemaVersion: TRACE_SCHEMA_VERSION,
    id,
    createdAt,
    updatedAt: createdAt,
    policy: 'p',
    timeline: [{ type: 'user', content: 'hi', at: createdAt }],
    status: over.status ?? 'running',
    meta: {
      environment: over.environment ?? { family: 'policy-chat' },
      actor: 'a',
      mode: 'intervene',
      maxRevisions: 2,
      failureRule: 'fail-open',
      userKind: over.userKind ?? 'human',
    },
  };
}

describe('latestInterruptedHumanEpisode', () => {
  it('finds the newest running episode with a person in the user seat, skipping finished, simulated and other environments', async () => {
    const store = new TraceStore('interrupted-test');
    expect(await latestInterruptedHumanEpisode(store)).toBeUndefined();
    await store.put(trace('old-human', 1, {}));
    await store.put(trace('done', 5, { status: 'done' }));
    await store.put(trace('sim', 6, { environment: { family: 'tau-bench', domain: 'retail' }, userKind: 'simulated' }));
    await store.put(trace('userbench-other', 7, { environment: { family: 'userbench', domain: 'travel22' } }));
    await store.put(trace('tau-human', 4, { environment: { family: 'tau-bench', domain: 'airline' } }));
    expect((await latestInterruptedHumanEpisode(store))?.id).toBe('tau-human');
  });

  it('skips episodes another tab runs (it holds their lock) and ones the person dismissed; a released lock makes it interrupted', async () => {
    const store = new TraceStore('interrupted-live-test');
    await store.put(trace('a', 1, {}));
    await store.put(trace('b', 2, {}));
    const locks = new LocksDouble();
    const release = holdEpisode('b', locks);
    expect((await latestInterruptedHumanEpisode(store, await liveEpisodeIds(locks)))?.id).toBe('a');
    release();
    await Promise.resolve();
    expect((await latestInterruptedHumanEpisode(store, await liveEpisodeIds(locks)))?.id).toBe('b');
    const storage = new Map<string, string>();
    const ls = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) };
    dismissInterrupted(ls, 'b');
    expect(dismissedInterrupted(ls)).toEqual(['b']);
    expect((await latestInterruptedHumanEpisode(store, await liveEpisodeIds(locks), dismissedInterrupted(ls)))?.id).toBe('a');
  });
});

describe('canResume (History\'s Resume and the chat banner ask the same)', () => {
  it('a running episode no tab runs, with a person in the seat, in a replayable environment; a dismissed one still can', () => {
    const none: ReadonlySet<string> = new Set();
    expect(canResume(trace('a', 1, {}), none)).toBe(true);
    expect(canResume(trace('a', 1, { environment: { family: 'tau-bench', domain: 'retail' } }), none)).toBe(true);
    expect(canResume(trace('a', 1, {}), new Set(['a']))).toBe(false);
    expect(canResume(trace('a', 1, { status: 'done' }), none)).toBe(false);
    expect(canResume(trace('a', 1, { status: 'error' }), none)).toBe(false);
    expect(canResume(trace('a', 1, { userKind: 'simulated', environment: { family: 'tau-bench', domain: 'retail' } }), none)).toBe(false);
    expect(canResume(trace('a', 1, { environment: { family: 'userbench', domain: 'travel22' } }), none)).toBe(false);
    // τ³ (the person's phone calls are in the timeline and replay), with a person in the seat only.
    expect(canResume(trace('a', 1, { environment: { family: 'tau2', domain: 'telecom' } }), none)).toBe(true);
    expect(canResume(trace('a', 1, { environment: { family: 'tau2', domain: 'telecom' }, userKind: 'simulated' }), none)).toBe(false);
  });
});
