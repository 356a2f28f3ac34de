import { describe, expect, it } from 'vitest';
import { setupProblems } from './setup-problems.ts';

const remote = (over: Partial<{ baseUrl: string; model: string; apiKey: string }> = {}) => ({
  engine: 'openai-compatible' as const,
  remote: { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o', apiKey: 'sk-x', ...over },
});

describe('setupProblems', () => {
  it('names the field of each problem: key, base URL, model, unloaded in-browser models', () => {
    expect(setupProblems({ actor: remote(), critic: remote() })).toEqual([]);
    expect(setupProblems({ actor: remote({ apiKey: '' }) }).map((p) => p.field)).toEqual(['actor-key']);
    expect(setupProblems({ actor: remote({ baseUrl: 'api.openai.com/v1', apiKey: '' }) }).map((p) => p.field)).toEqual(['actor-base-url', 'actor-key']);
    expect(setupProblems({ actor: remote({ baseUrl: 'ftp://x/v1' }) }).map((p) => p.field)).toEqual(['actor-base-url']);
    expect(setupProblems({ actor: remote(), critic: remote({ model: ' ' }) }).map((p) => p.field)).toEqual(['critic-model']);
    expect(setupProblems({ actor: { engine: 'local', loaded: false }, critic: { engine: 'local', loaded: false } }).map((p) => p.field)).toEqual(['local-actor-model', 'active-critic']);
  });

  it('a server on this machine needs no key', () => {
    for (const baseUrl of ['http://127.0.0.1:11434/v1', 'http://localhost:8000/v1', 'http://[::1]:8000/v1']) {
      expect(setupProblems({ actor: remote({ baseUrl, apiKey: '' }) })).toEqual([]);
    }
  });
});
