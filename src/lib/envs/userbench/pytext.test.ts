import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dumps, parseJson } from '../tau-bench/py.ts';
import { isOptionId, parseOutputAsJson, pyFormat, pyIsSpace, pyPercent2, pyStrip } from './pytext.ts';

// Recorded by tests/fixtures/userbench/make_python_fixtures.py from CPython and upstream utils.py.
const Fixture = z.object({
  python: z.string(),
  text: z.object({
    unidataVersion: z.string(),
    isspace: z.array(z.number()),
    reSpace: z.array(z.number()),
    digitRanges: z.array(z.tuple([z.number(), z.number()])),
    strip: z.array(z.tuple([z.string(), z.string()])),
    percent2: z.array(z.tuple([z.number(), z.string()])),
    parseOutputAsJson: z.array(z.object({ text: z.string(), json: z.string().nullable(), none: z.boolean() })),
    dumpsIndent4: z.array(z.tuple([z.string(), z.string()])),
  }),
});
const fx = Fixture.parse(JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../../tests/fixtures/userbench/python.json'), 'utf8'))).text;

describe(`Python ${fx.unidataVersion} text semantics`, () => {
  it('whitespace is exactly str.isspace() (== regex \\s), over every code point', () => {
    const space = new Set(fx.isspace);
    expect(fx.reSpace).toEqual(fx.isspace);
    const wrong: number[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) if (pyIsSpace(String.fromCodePoint(cp)) !== space.has(cp)) wrong.push(cp);
    expect(wrong).toEqual([]);
    expect(pyIsSpace('\u001c')).toBe(true); // JS trim() keeps it
    expect(pyIsSpace('\ufeff')).toBe(false); // JS trim() drops it
  });

  it.each(fx.strip)('strip(%j) == %j', (input, want) => {
    expect(pyStrip(input)).toBe(want);
  });

  it('option ids take any Unicode decimal digit (\\d), as re.match(r"^[ACFHR]\\d+$") does', () => {
    const missed: number[] = [];
    for (const [a, b] of fx.digitRanges) for (let cp = a; cp <= b; cp++) if (!isOptionId(`F${String.fromCodePoint(cp)}`)) missed.push(cp);
    expect(missed).toEqual([]);
    // Digits added to Unicode after Python's table are all outside the BMP; nothing else matches.
    const python = new Set(fx.digitRanges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i)));
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (!python.has(cp)) expect(isOptionId(`F${String.fromCodePoint(cp)}`)).toBe(false);
    }
    expect(isOptionId('F\uff12')).toBe(true);
    expect(isOptionId('f12')).toBe(false);
    expect(isOptionId('F12\n')).toBe(true); // `$` matches before a final newline
    expect(isOptionId('F12 ')).toBe(false);
  });

  it.each(fx.percent2)('f"{%s:.2%%}" == %s', (x, want) => {
    expect(pyPercent2(x)).toBe(want);
  });

  it.each(fx.parseOutputAsJson.map((c) => [c.text, c] as const))('parse_output_as_json(%j)', (_t, c) => {
    const got = parseOutputAsJson(c.text);
    if (c.none) expect(got === undefined || got.value === null).toBe(true);
    else expect(got && dumps(got.value)).toBe(c.json);
  });

  it.each(fx.dumpsIndent4)('json.dumps(%s, indent=4)', (compact, want) => {
    expect(dumps(parseJson(compact), 4)).toBe(want);
  });
});

describe('str.format', () => {
  it('fills named fields and keeps doubled braces', () => {
    expect(pyFormat('{a} and {{b}} {a}', { a: '{x}' })).toBe('{x} and {b} {x}');
  });
  it('raises on a missing field or a lone brace', () => {
    expect(() => pyFormat('{missing}', {})).toThrow(/KeyError/);
    expect(() => pyFormat('a } b', {})).toThrow(/Single '}'/);
    expect(() => pyFormat('a { b', {})).toThrow();
  });
});
