import { describe, expect, it } from 'vitest';
import { runPipeline } from './pipeline.ts';
import { whyNoExamples } from './why-no-examples.ts';
import { recordScripted } from '../../../tests/fixtures/scripted-episodes.ts';

describe('whyNoExamples', () => {
  it('policy chats (never scored): says no episode passed and that a teacher would label them', async () => {
    // The scripted shop episodes as policy chats record them: finished, with interventions, never scored.
    const chats = (await recordScripted()).map(({ reward: _reward, ...t }) => ({ ...t, meta: { ...t.meta, environment: { family: 'policy-chat' as const } } }));
    expect(chats.length).toBeGreaterThan(0);
    const ctx = { toolsOf: () => [], goldOf: () => undefined };
    const r = runPipeline(chats, ctx, { outcome: true, interventions: true, hardTasksOnly: false, validationFraction: 0.2, seed: 's' });
    expect(r.stats.total).toBe(0);
    const why = whyNoExamples(chats, { outcome: true, interventions: true, teacher: false });
    expect(why).toMatch(new RegExp(`^None of the ${chats.length} episodes has a score`));
    expect(why).toMatch(/a teacher \(below\) can label the proposals/);
    expect(whyNoExamples([], { outcome: true, interventions: true, teacher: false })).toBeUndefined();
    expect(whyNoExamples(chats, { outcome: false, interventions: false, teacher: false })).toContain('Every label source is off.');
  });
});
