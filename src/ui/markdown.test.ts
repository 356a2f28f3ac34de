import { describe, expect, it } from 'vitest';
import { hostNamedBy } from './markdown.ts';

describe('hostNamedBy: which link texts read as a host', () => {
  it('finds the host of a URL or a bare domain, as the browser normalises it', () => {
    expect(hostNamedBy('https://bank.example/login')).toBe('bank.example');
    expect(hostNamedBy(' Bank.Example ')).toBe('bank.example');
    expect(hostNamedBy('www.bank.example/a?b#c')).toBe('www.bank.example');
    expect(hostNamedBy('http://user@bank.example:8443/x')).toBe('bank.example');
    expect(hostNamedBy('10.0.0.1/admin')).toBe('10.0.0.1');
    // A look-alike in another script comes out as punycode, so it never equals the real ASCII host.
    expect(hostNamedBy('bаnk.example')).toBe('xn--bnk-6cd.example');
  });

  it('leaves ordinary words, numbers and sentences alone', () => {
    for (const text of ['Sign in', 'here', '1.5', 'v2.0.1', 'see bank.example', '', 'javascript:alert(1)', 'e.g']) {
      expect(hostNamedBy(text), text).toBeUndefined();
    }
  });
});
