import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TransformersEngine } from '../src/lib/engines/transformers.ts';
import { parseVerdict } from '../src/lib/critic/verdict.ts';
import { makeTinyModels, REVISE_FEEDBACK, TINY_MODELS } from './make-tiny-model.ts';

/** Generated into a folder of its own, so tests that read .fixtures/models at the same time see no rewrite. */
const root = mkdtempSync(join(tmpdir(), 'spotter-tiny-'));
const models = join(root, '.fixtures/models');
const FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
const digest = (id: string): string => {
  const h = createHash('sha256');
  for (const f of FILES) h.update(readFileSync(join(models, id, f)));
  return h.digest('hex');
};
const Tokenizer = z.object({ model: z.object({ vocab: z.record(z.string(), z.number()) }) });
const Config = z.object({ vocab_size: z.number() });

beforeAll(() => {
  makeTinyModels(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the tiny test models', () => {
  it('keeps the older variants byte for byte: other tests count on their token ids and answers', () => {
    // Pinned when tiny-critic-revise was added (the files main generated before). A change here moves token ids or answers that the engine,
    // KV-reuse, context-window, exam and bundle tests rely on: give a new behaviour a variant of its own.
    expect(Object.fromEntries(['tiny-critic', 'tiny-critic-kv', 'tiny-critic-babble', 'tiny-critic-2k'].map((id) => [id, digest(id).slice(0, 16)]))).toEqual({
      'tiny-critic': '59cdeb666a0a0477',
      'tiny-critic-kv': 'd4ae8af05ce10a6d',
      'tiny-critic-babble': 'd70fa1737f7031a0',
      'tiny-critic-2k': '4499095d1813fdcd',
    });
  });

  it('gives tiny-critic-revise one more token after the shared ones, whose ids stay where they were', () => {
    const vocab = (id: string) => Tokenizer.parse(JSON.parse(readFileSync(join(models, id, 'tokenizer.json'), 'utf8'))).model.vocab;
    const size = (id: string) => Config.parse(JSON.parse(readFileSync(join(models, id, 'config.json'), 'utf8'))).vocab_size;
    const [approve, revise] = [vocab('tiny-critic'), vocab('tiny-critic-revise')];
    expect(Object.keys(TINY_MODELS)).toContain('tiny-critic-revise');
    expect([size('tiny-critic'), size('tiny-critic-revise')]).toEqual([260, 261]);
    expect(Object.entries(revise).filter(([k]) => !(k in approve))).toEqual([[expect.stringContaining('feedback'), 260]]);
    for (const [k, id] of Object.entries(approve)) expect(revise[k]).toBe(id);
  });

  it('tiny-critic-revise answers a revise verdict with its feedback, on a cold cache and on a reused prefix', async () => {
    const system = 'You are a critic. Answer JSON.';
    const sig = new AbortController().signal;
    const engine = new TransformersEngine({ model: 'tiny-critic-revise', localModelPath: `${models}/`, dtype: 'fp32' });
    expect((await engine.load(() => {})).kvReuse).toBe(true);
    const first = await engine.generate({ system, user: 'USER: hello' }, sig);
    expect(first.reusedTokens).toBe(0);
    const second = await engine.generate({ system, user: 'USER: hello\nAGENT: enable_roaming' }, sig);
    expect(second.reusedTokens).toBeGreaterThan(0);
    for (const r of [first, second]) {
      expect(r.text).toBe(`{"decision": "revise", "feedback": ${JSON.stringify(REVISE_FEEDBACK)}}`);
      expect(parseVerdict(r.text)).toEqual({ decision: 'revise', feedback: REVISE_FEEDBACK });
      expect(r.usage.completionTokens).toBe(3);
    }
    await engine.unload();
  });
});
