import { describe, expect, it } from 'vitest';
import { hasCompleteJsonObject } from './engines/engine-interface.ts';
import { firstJsonObject } from './json-object.ts';

describe('firstJsonObject', () => {
  it('finds the first balanced object after prose or a code fence, braces in strings ignored', () => {
    expect(firstJsonObject('Sure! ```json\n{"decision":"revise","feedback":"use {id} not \\"}\\""} trailing {x}')).toBe('{"decision":"revise","feedback":"use {id} not \\"}\\""}');
    expect(firstJsonObject('{"a":{"b":1}} and then {"c":2}')).toBe('{"a":{"b":1}}');
  });

  it('is undefined while the object is still being written, which is when decoding must go on', () => {
    for (const partial of ['', 'no json', '{"decision":"appr', '{"a":{"b":1}', '{"s":"}"']) {
      expect(firstJsonObject(partial)).toBeUndefined();
      expect(hasCompleteJsonObject(partial)).toBe(false);
    }
    expect(hasCompleteJsonObject('{"decision":"approve"}')).toBe(true);
  });
});
