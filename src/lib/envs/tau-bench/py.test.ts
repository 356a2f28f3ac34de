import { describe, expect, it } from 'vitest';
import { hashableEqual, hashableRepr } from './hash.ts';
import { PyFloat, dumps, floatRepr, parseJson, pyRepr, roundFloat, strRepr } from './py.ts';

describe('round(x, 2) as Python rounds the exact binary value, half to even', () => {
  it.each([
    [2.675, 2.67], // 2.675 is 2.67499999999999982236431605997495353221893310546875
    [0.125, 0.12], // exact tie: to even
    [0.375, 0.38], // exact tie: to even
    [1.005, 1.0], // 1.00499999999999989...
    [-0.125, -0.12],
    [2.5, 2.5],
    [99.995, 100.0], // the double is 99.9950000000000045474735..., above the tie
    [0.285, 0.28], // 0.284999999999999975575...
    [1234.5678, 1234.57],
  ])('round(%s, 2) == %s', (x, want) => {
    expect(roundFloat(x, 2)).toBe(want);
  });

  it('keeps the sign of a rounded-away negative', () => {
    expect(Object.is(roundFloat(-0.001, 2), -0)).toBe(true);
    expect(floatRepr(roundFloat(-0.001, 2))).toBe('-0.0');
  });
});

describe('float repr', () => {
  it.each([
    [100, '100.0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1.2345678901234568e17, '1.2345678901234568e+17'],
    [-2.5, '-2.5'],
    [Infinity, 'inf'],
  ])('repr(%s) == %s', (x, want) => {
    expect(floatRepr(x)).toBe(want);
  });
});

describe('json.loads / json.dumps with Python conventions', () => {
  it('keeps integer-like keys where the text puts them', () => {
    const v = parseJson('{"b": 1, "15": 2, "a": 3, "2": 4}');
    expect(dumps(v)).toBe('{"b": 1, "15": 2, "a": 3, "2": 4}');
    // What a plain JS object would have done instead:
    expect(JSON.stringify(JSON.parse('{"b": 1, "15": 2, "a": 3, "2": 4}'))).toBe('{"2":4,"15":2,"b":1,"a":3}');
  });

  it('keeps 100.0 a float and 100 an int', () => {
    const v = parseJson('[100.0, 100, 1e2, -0.0, 2.50]');
    expect(dumps(v)).toBe('[100.0, 100, 100.0, -0.0, 2.5]');
  });

  it('escapes non-ASCII as \\uXXXX (surrogate pairs for astral) and controls', () => {
    expect(dumps('café ☕ 😀 "q" \\ \n\t\u0001\u007f')).toBe(
      '"caf\\u00e9 \\u2615 \\ud83d\\ude00 \\"q\\" \\\\ \\n\\t\\u0001\\u007f"',
    );
  });

  it('writes True/False/None as JSON, separators ", " and ": "', () => {
    expect(dumps(parseJson('{"a":true,"b":false,"c":null,"d":[],"e":{}}'))).toBe(
      '{"a": true, "b": false, "c": null, "d": [], "e": {}}',
    );
  });

  it('rejects malformed JSON with the offset', () => {
    expect(() => parseJson('{"a": 1,}')).toThrow(/offset 8/);
    expect(() => parseJson('[1] x')).toThrow(/extra data/);
  });
});

describe('repr and str(to_hashable(...))', () => {
  it('chooses quotes as Python does', () => {
    expect(strRepr("it's")).toBe('"it\'s"');
    expect(strRepr('say "hi"')).toBe("'say \"hi\"'");
    expect(strRepr('both \' and "')).toBe("'both \\' and \"'");
    expect(strRepr('é\u200b')).toBe("'é\\u200b'");
  });

  it('prints dicts and lists like Python', () => {
    expect(pyRepr(parseJson('{"a": [1, 2.0, null, true], "b": {}}'))).toBe("{'a': [1, 2.0, None, True], 'b': {}}");
  });

  it('sorts dict items and makes tuples, 1-tuples with a trailing comma', () => {
    expect(hashableRepr(parseJson('{"b": [1], "a": "x", "10": 2.0, "9": []}'))).toBe(
      "(('10', 2.0), ('9', ()), ('a', 'x'), ('b', (1,)))",
    );
  });

  it('treats 1 and 1.0 as different states (their str differs), and key order as irrelevant', () => {
    expect(hashableEqual(parseJson('{"a": 1, "b": 2}'), parseJson('{"b": 2, "a": 1}'))).toBe(true);
    expect(hashableEqual(parseJson('{"a": 1}'), parseJson('{"a": 1.0}'))).toBe(false);
    expect(hashableEqual(parseJson('{"a": true}'), parseJson('{"a": 1}'))).toBe(false);
    expect(hashableEqual(parseJson('[1, 2]'), parseJson('[2, 1]'))).toBe(false);
  });

  it('agrees with the string form, even where a dict and a list of pairs print alike', () => {
    const a = parseJson('{"k": 1}');
    const b = parseJson('[["k", 1]]');
    expect(hashableRepr(a)).toBe(hashableRepr(b));
    expect(hashableEqual(a, b)).toBe(true);
    expect(hashableEqual(new PyFloat(-0), new PyFloat(0))).toBe(false);
  });
});
