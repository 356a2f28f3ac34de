import { describe, expect, it } from 'vitest';
import { RUN_LENGTH, redactSecrets, redactionOf } from './secrets.ts';

const KEY = 'sk-proj-Q7vN2xKp9LmA4tRz8WcE1bYh';
const ANT = 'sk-ant-api03-ZZt9kqPw3Lx7Vn2Rb5Hc8Md1';

/** Every RUN_LENGTH-character window of `key` that occurs in `text`. */
function runsOf(key: string, text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + RUN_LENGTH <= key.length; i++) if (text.includes(key.slice(i, i + RUN_LENGTH))) found.push(key.slice(i, i + RUN_LENGTH));
  return found;
}

describe('redactSecrets', () => {
  it('replaces the whole key with its prefix and last 4', () => {
    expect(redactSecrets(`401 Incorrect API key provided: ${KEY}. See your account.`, [KEY])).toBe('401 Incorrect API key provided: sk-…1bYh. See your account.');
    expect(redactionOf(ANT)).toBe('sk-…8Md1');
    expect(redactionOf('abcdefghijklmnop')).toBe('…mnop');
  });

  it('replaces a prefix, a middle part and a suffix of 8 or more characters', () => {
    const prefix = `key ${KEY.slice(0, 14)}************${KEY.slice(-4)} rejected`;
    expect(redactSecrets(prefix, [KEY])).toBe('key sk-…1bYh************1bYh rejected');
    const middle = `fragment "${KEY.slice(9, 17)}" seen`;
    expect(redactSecrets(middle, [KEY])).toBe('fragment "sk-…1bYh" seen');
    const short = `only ${KEY.slice(9, 16)} (7 characters)`;
    expect(redactSecrets(short, [KEY])).toBe(short);
  });

  it('finds keys inside JSON and several keys at once, and leaves no run behind', () => {
    const text = `401 ${JSON.stringify({ error: { details: { api_key: KEY } }, other: ANT.slice(3, 20) })}`;
    const out = redactSecrets(text, [KEY, ANT, '', 'short']);
    expect(out).toBe('401 {"error":{"details":{"api_key":"sk-…1bYh"}},"other":"sk-…8Md1"}');
    expect(runsOf(KEY, out)).toEqual([]);
    expect(runsOf(ANT, out)).toEqual([]);
  });

  it('leaves text alone when no key is configured or none appears', () => {
    expect(redactSecrets(`x ${KEY}`, [])).toBe(`x ${KEY}`);
    expect(redactSecrets('HTTP 500: upstream timed out', [KEY])).toBe('HTTP 500: upstream timed out');
  });

  it('scrubs a long error text in linear time', () => {
    const text = `${'lorem ipsum '.repeat(20_000)}${KEY}`;
    const out = redactSecrets(text, [KEY, ANT]);
    expect(out.endsWith('sk-…1bYh')).toBe(true);
    expect(out.length).toBe(text.length - KEY.length + 'sk-…1bYh'.length);
  });
});
