import { describe, expect, it } from 'vitest';
import { createPolicyChatEnv } from '../../lib/envs/policy-chat/env.ts';
import { ScriptedActorDouble, ScriptedCriticDouble } from '../../../tests/doubles/scripted-doubles.ts';
import type { EpisodeTrace } from '../../lib/traces/schema.ts';
import { EpisodeSession, type StartOptions } from './episode.svelte.ts';

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
});
