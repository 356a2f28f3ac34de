import { describe, expect, it } from 'vitest';
import { comb, isSuccess, passHatK, type TrialOutcome } from './passk.ts';

function outcomes(rewardsByTask: number[][]): TrialOutcome[] {
  return rewardsByTask.flatMap((rewards, taskId) => rewards.map((reward, trial) => ({ taskId, trial, reward })));
}

describe('comb', () => {
  it('matches Python math.comb on small values', () => {
    expect(comb(0, 0)).toBe(1);
    expect(comb(3, 0)).toBe(1);
    expect(comb(3, 1)).toBe(3);
    expect(comb(3, 2)).toBe(3);
    expect(comb(5, 2)).toBe(10);
    expect(comb(8, 4)).toBe(70);
    expect(comb(32, 16)).toBe(601080390);
  });
  it('is 0 when k > n, as math.comb', () => {
    expect(comb(1, 2)).toBe(0);
    expect(comb(0, 1)).toBe(0);
  });
  it('rejects negative or fractional arguments', () => {
    expect(() => comb(-1, 0)).toThrow(RangeError);
    expect(() => comb(2, 0.5)).toThrow(RangeError);
  });
});

describe('isSuccess', () => {
  it('accepts rewards within 1e-6 of 1 only', () => {
    expect(isSuccess(1)).toBe(true);
    expect(isSuccess(1 - 5e-7)).toBe(true);
    expect(isSuccess(1 + 5e-7)).toBe(true);
    expect(isSuccess(1 - 2e-6)).toBe(false);
    expect(isSuccess(0)).toBe(false);
    expect(isSuccess(0.5)).toBe(false);
  });
});

describe('passHatK', () => {
  it('computes hand-worked values for 3 tasks x 3 trials', () => {
    // c = [3, 2, 0]; n = 3
    // k=1: (3/3 + 2/3 + 0) / 3 = 5/9
    // k=2: (3/3 + 1/3 + 0) / 3 = 4/9
    // k=3: (1 + 0 + 0) / 3 = 1/3
    const s = passHatK(outcomes([[1, 1, 1], [1, 0, 1], [0, 0, 0]]));
    expect(s?.numTrials).toBe(3);
    expect(s?.numTasks).toBe(3);
    expect(s?.averageReward).toBeCloseTo(5 / 9, 12);
    expect(s?.passK.map((p) => p.k)).toEqual([1, 2, 3]);
    expect(s?.passK[0]?.value).toBeCloseTo(5 / 9, 12);
    expect(s?.passK[1]?.value).toBeCloseTo(4 / 9, 12);
    expect(s?.passK[2]?.value).toBeCloseTo(1 / 3, 12);
  });

  it('computes 2 tasks x 4 trials', () => {
    // c = [2, 4]; n = 4
    // k=1: (2/4 + 1) / 2 = 0.75; k=2: (1/6 + 1) / 2 = 7/12; k=3: (0 + 1)/2 = 0.5; k=4: 0.5
    const s = passHatK(outcomes([[1, 0, 1, 0], [1, 1, 1, 1]]));
    expect(s?.passK.map((p) => p.value)).toEqual([0.75, 7 / 12, 0.5, 0.5].map((v) => expect.closeTo(v, 12)));
  });

  it('counts near-1 rewards as success but not partial ones', () => {
    const s = passHatK(outcomes([[1 - 1e-7, 0.999]]));
    expect(s?.passK[0]?.value).toBeCloseTo(0.5, 12);
    expect(s?.passK[1]?.value).toBe(0);
  });

  it('uses the number of distinct trials, like the original, unless n is given', () => {
    const partial: TrialOutcome[] = [
      { taskId: 0, trial: 0, reward: 1 },
      { taskId: 0, trial: 1, reward: 1 },
      { taskId: 1, trial: 0, reward: 1 },
    ];
    // Original: n = 2; task 0: c=2, task 1: c=1 -> k=1: (1 + 0.5)/2
    expect(passHatK(partial)?.passK[0]?.value).toBeCloseTo(0.75, 12);
    expect(passHatK(partial, 3)?.passK.map((p) => p.k)).toEqual([1, 2, 3]);
    // n = 3: k=1: (2/3 + 1/3) / 2 = 0.5
    expect(passHatK(partial, 3)?.passK[0]?.value).toBeCloseTo(0.5, 12);
  });

  it('is undefined for no outcomes', () => {
    expect(passHatK([])).toBeUndefined();
  });
});
