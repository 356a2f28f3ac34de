import { describe, expect, it } from 'vitest';
import { DEFAULT_EXAM_TIMEOUT_MS, parseExamArgs, transformersModel } from './exam-cli.ts';

describe('parseExamArgs', () => {
  it('export: a named set from the data folder, or an exam file', () => {
    expect(parseExamArgs(['export', '--set', 'quick'], {})).toEqual({ command: 'export', items: { set: 'quick', dataDir: '../shared/tau-bench' } });
    expect(parseExamArgs(['export', '--items', 'mine.jsonl'], {})).toEqual({ command: 'export', items: { file: 'mine.jsonl' } });
  });

  it('grade with a remote critic: spec, window, limit; the key stays in the environment', () => {
    const c = parseExamArgs(['grade', '--set', 'quick', '--critic-base-url', 'http://h/v1', '--critic-model', 'm', '--critic-context', '4096', '--limit', '20', '--out', 'r.json'], {});
    expect(c).toEqual({
      command: 'grade',
      items: { set: 'quick', dataDir: '../shared/tau-bench' },
      critic: { kind: 'remote', keyEnv: 'SPOTTER_CRITIC_KEY', spec: { engine: 'openai-compatible', model: 'm', baseUrl: 'http://h/v1', contextWindow: 4096 } },
      out: 'r.json',
      limit: 20,
      timeoutMs: DEFAULT_EXAM_TIMEOUT_MS,
      fresh: false,
    });
  });

  it('grade with transformers.js: a local folder stays local, an id comes from the hub', () => {
    const c = parseExamArgs(['grade', '--set', 'quick', '--critic-engine', 'transformers', '--critic-model', '.fixtures/models/tiny-critic/', '--out', 'r.json'], {}, (p) => p.startsWith('.fixtures'));
    expect(c.command === 'grade' && c.critic).toEqual({
      kind: 'transformers',
      config: { engine: 'transformers', model: 'tiny-critic', localModelPath: '.fixtures/models/', allowRemoteModels: false, device: 'cpu', dtype: 'fp32' },
    });
    expect(transformersModel('onnx-community/Qwen2.5-0.5B-Instruct', () => false)).toEqual({ model: 'onnx-community/Qwen2.5-0.5B-Instruct', allowRemoteModels: true });
  });

  it('names the bad argument', () => {
    const base = ['--set', 'quick', '--critic-model', 'm', '--critic-base-url', 'http://h/v1', '--out', 'r.json'];
    expect(() => parseExamArgs(['grade', ...base, '--critic-context', '100'], {})).toThrow('--critic-context: must be at least 512 tokens');
    expect(() => parseExamArgs(['grade', ...base, '--limit', '0'], {})).toThrow('--limit: "0" is not a positive whole number');
    expect(() => parseExamArgs(['grade', ...base, '--critic-kind', 'grpc'], {})).toThrow('--critic-kind: "grpc" is not openai-compatible or anthropic');
    expect(() => parseExamArgs(['grade', ...base, '--critic-api-key-env', 'NOPE'], {})).toThrow('--critic-api-key-env: the environment has no NOPE');
    expect(() => parseExamArgs(['grade', '--set', 'q', '--critic-model', 'm', '--out', 'r.json'], {})).toThrow('--critic-base-url: is required');
    expect(() => parseExamArgs(['grade', '--set', 'q', '--items', 'f', '--critic-model', 'm'], {})).toThrow('--items: give either --set or --items');
    expect(() => parseExamArgs(['judge'], {})).toThrow('command: "judge" is not export or grade');
  });
});
