import { describe, expect, it } from 'vitest';
import { presentationFrames } from './frames.ts';
import { syntheticTrace } from '../../../tests/fixtures/synthetic-traces.ts';

describe('presentationFrames', () => {
  it('turns an intervention into rejected → feedback → revised action', () => {
    const frames = presentationFrames(syntheticTrace(2));
    expect(frames.map((f) => f.kind)).toEqual(['user', 'rejected', 'feedback', 'action', 'action', 'user', 'end']);
    const [, rejected, feedback, revised] = frames;
    expect(rejected).toMatchObject({ kind: 'rejected', action: { kind: 'tool_call', call: { name: 'cancel_reservation' } } });
    expect(feedback).toMatchObject({ kind: 'feedback', text: 'Confirm the user identity before cancelling.', latencyMs: 210 });
    expect(revised).toMatchObject({ kind: 'action', revised: true, action: { call: { name: 'get_user_details' } } });
    expect(frames.at(-1)).toEqual({ kind: 'end', outcome: 'fail', reward: 0 });
  });

  it('has no intervention frames when the critic approved everything', () => {
    const frames = presentationFrames(syntheticTrace(1));
    expect(frames.some((f) => f.kind === 'rejected' || f.kind === 'feedback')).toBe(false);
    expect(frames.filter((f) => f.kind === 'action').every((f) => f.kind === 'action' && !f.revised)).toBe(true);
  });

  it('shows a user\'s own tool call (τ³ telecom\'s phone) in its place, between the agent\'s request and the user\'s words', () => {
    const t = syntheticTrace(1);
    const phone = { type: 'user_tool', call: { id: 'person_0', name: 'toggle_roaming', arguments: { on: true } }, observation: 'Data Roaming is now ON.', error: false, at: 1 } as const;
    const lastUser = t.timeline.findLastIndex((e) => e.type === 'user');
    const frames = presentationFrames({ ...t, timeline: [...t.timeline.slice(0, lastUser), phone, ...t.timeline.slice(lastUser)] });
    const i = frames.findIndex((f) => f.kind === 'user_tool');
    expect(frames[i]).toEqual({ kind: 'user_tool', name: 'toggle_roaming', arguments: { on: true }, observation: 'Data Roaming is now ON.', error: false });
    expect(frames[i + 1]?.kind).toBe('user');
    expect(frames.length).toBe(presentationFrames(t).length + 1);
  });
});
