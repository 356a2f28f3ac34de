import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Mt19937, NumpyLegacyRandom, PyRandom } from './rng.ts';

// Recorded by tests/fixtures/userbench/make_python_fixtures.py (CPython + numpy).
const Fixture = z.object({
  python: z.string(),
  numpy: z.string(),
  rng: z.object({
    numpyRaw: z.record(z.string(), z.array(z.number())),
    numpyShuffleSeed42: z.array(z.array(z.number())),
    python: z.record(z.string(), z.object({ getrandbits32: z.array(z.number()), choices: z.array(z.number()) })),
  }),
});
const fx = Fixture.parse(JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../../tests/fixtures/userbench/python.json'), 'utf8')));

describe(`MT19937 as numpy ${fx.numpy} seeds it (np.random.seed)`, () => {
  it.each(Object.entries(fx.rng.numpyRaw))('seed %s: first raw outputs', (seed, want) => {
    const g = Mt19937.fromInt(Number(seed));
    expect(want.map(() => g.nextUint32())).toEqual(want);
  });

  it('np.random.shuffle on lists after np.random.seed(42), one stream across 13 lists (0 to 1000 items)', () => {
    const rng = new NumpyLegacyRandom(42);
    const got = fx.rng.numpyShuffleSeed42.map((want) => {
      const list = want.map((_, i) => i);
      rng.shuffle(list);
      return list;
    });
    expect(got).toEqual(fx.rng.numpyShuffleSeed42);
  });

  it('skipShuffle draws exactly what a shuffle draws', () => {
    const a = new NumpyLegacyRandom(42);
    const b = new NumpyLegacyRandom(42);
    a.shuffle(Array.from({ length: 18 }, (_, i) => i));
    b.skipShuffle(18);
    const la = [0, 1, 2, 3, 4, 5, 6];
    const lb = [...la];
    a.shuffle(la);
    b.shuffle(lb);
    expect(lb).toEqual(la);
  });

  it('rejects seeds numpy rejects', () => {
    expect(() => new NumpyLegacyRandom(-1)).toThrow(/seed/);
    expect(() => new NumpyLegacyRandom(2 ** 32)).toThrow(/seed/);
  });
});

describe(`CPython ${fx.python} random.seed(int)`, () => {
  it.each(Object.entries(fx.rng.python))('seed %s: getrandbits(32) and choice(range(n))', (seed, want) => {
    const r = new PyRandom(Number(seed));
    expect(want.getrandbits32.map(() => r.getrandbits(32))).toEqual(want.getrandbits32);
    const c = new PyRandom(Number(seed));
    const ns = [1, 2, 3, 5, 7, 10, 17, 100, 1000, 2 ** 20 + 3, 4, 6];
    // choice(range(n)) is range(n)[_randbelow(n)]; the small lists go through choice itself.
    expect(ns.map((n) => (n <= 1000 ? c.choice(Array.from({ length: n }, (_, i) => i)) : c.randbelow(n)))).toEqual(want.choices);
  });

  it('choice on an empty list raises as Python does', () => {
    expect(() => new PyRandom(0).choice([])).toThrow(/empty sequence/);
  });
});
