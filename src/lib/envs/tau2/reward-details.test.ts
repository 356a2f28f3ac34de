import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluator.ts';
import { rewardDetails } from './env.ts';
import { componentRows, parseTau2RewardDetails } from './reward-details.ts';
import { loadTau2Pack, tau2TaskOf } from './pack.ts';
import { nodeTau2Source } from './pack-node.ts';

describe('τ³ reward details', () => {
  it('round-trip from the evaluator through a stored trace to one row per component of the basis', async () => {
    const pack = await loadTau2Pack(nodeTau2Source(), 'retail');
    const task = tau2TaskOf(pack, 'test', 9);
    // Nothing done: the DB stays initial (differs from gold), and the NL judge is not configured.
    const r = await evaluate(task, [], { makeEnv: pack.makeEnv, judge: null });
    const stored = JSON.parse(JSON.stringify(rewardDetails(task, r, [])));
    const d = parseTau2RewardDetails(stored);
    expect(d?.notJudged).toBe(true);
    expect(d && componentRows(d)).toEqual([
      { component: 'DB', value: 0, why: 'final database differs from the gold one' },
      { component: 'NL_ASSERTION', value: 'not judged', why: 'no judge configured' },
    ]);
    // A judged episode's details (as the runs' NL judge writes them) read back the same way.
    const judged = parseTau2RewardDetails({ ...stored, notJudged: false, breakdown: { DB: 0, NL_ASSERTION: 1 }, nlAssertions: [true], nlJustifications: ['The agent said so.'] });
    expect(judged && componentRows(judged).map((x) => [x.component, x.value, x.why])).toEqual([
      ['DB', 0, 'final database differs from the gold one'],
      ['NL_ASSERTION', 1, '1 of 1 assertions met'],
    ]);
  });

  it('is not τ³ details when the fields are not there (another family\'s details)', () => {
    expect(parseTau2RewardDetails({ rActions: true, outputs: {} })).toBeUndefined();
  });
});
