import { describe, expect, it } from 'vitest';
import { loadExamSourcesFromDir } from './sources-node.ts';
import { balancedPrefix } from './limit.ts';
import { buildExamSet } from './sets.ts';

describe('balancedPrefix on the real quick set', () => {
  it('takes the labels in turn, keeps each label in set order, and gives the whole set for 0 or more than it has', async () => {
    const quick = buildExamSet('quick', await loadExamSourcesFromDir());
    // quick lists its 30 approve items first: a plain prefix of 20 would hold no revise item.
    expect(quick.slice(0, 20).every((i) => i.label === 'approve')).toBe(true);
    const twenty = balancedPrefix(quick, 20);
    expect(twenty.map((i) => i.label)).toEqual(Array.from({ length: 20 }, (_, k) => (k % 2 === 0 ? 'revise' : 'approve')));
    expect(twenty.filter((i) => i.label === 'approve')).toEqual(quick.filter((i) => i.label === 'approve').slice(0, 10));
    expect(balancedPrefix(quick, 7).filter((i) => i.label === 'revise').length).toBe(4);
    expect(balancedPrefix(quick, 0)).toEqual(quick);
    expect(balancedPrefix(quick, 61)).toEqual(quick);
  }, 60_000);
});
