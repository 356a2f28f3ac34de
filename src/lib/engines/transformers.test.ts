import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModels } from '../../../scripts/make-tiny-model.ts';
import { deviceCandidates, dtypeCandidates, splitModelLocation, TransformersEngine } from './transformers.ts';
import type { EngineProgress } from './engine-interface.ts';
import type { ChatMessage } from '../contracts.ts';
import { EngineCritic } from '../critic/engine-critic.ts';
import { buildCriticPrompt } from '../critic/prompt.ts';
import type { CriticInput } from '../critic/critic-interface.ts';

const MODELS = resolve(import.meta.dirname, '../../../.fixtures/models');
const system = 'You are a critic. Answer JSON.';

beforeAll(() => {
  makeTinyModels();
});

describe('TransformersEngine on the tiny model (real onnxruntime, Node cpu)', () => {
  it('loads with progress, falling back from q4 (absent) to fp32, and writes the approve verdict', async () => {
    const engine = new TransformersEngine({ model: 'tiny-critic', localModelPath: `${MODELS}/` });
    const progress: EngineProgress[] = [];
    const info = await engine.load((p) => progress.push(p));
    expect(info.device).toBe('cpu');
    expect(info.dtype).toBe('fp32');
    expect(info.attempts[0]).toMatchObject({ device: 'cpu', dtype: 'q4' });
    expect(info.attempts[0]?.error).toBeTruthy();
    expect(info.kvReuse).toBe(false);
    expect(progress.at(-1)?.stage).toBe('ready');
    const r = await engine.generate({ system, user: 'Step 1' }, new AbortController().signal);
    expect(r.text).toBe('{"decision": "approve"}');
    expect(r.reusedTokens).toBe(0);
    expect(r.prefillTokens).toBe(r.usage.promptTokens);
    await engine.unload();
  });

  it('stops at max_new_tokens when the model babbles', async () => {
    const engine = new TransformersEngine({ model: 'tiny-critic-babble', localModelPath: `${MODELS}/`, dtype: 'fp32' });
    await engine.load(() => {});
    const r = await engine.generate({ system, user: 'x', maxNewTokens: 7 }, new AbortController().signal);
    expect(r.usage.completionTokens).toBe(7);
    expect(r.text).not.toContain('{');
  });

  it('reuses the shared prompt prefix from the KV cache and answers the same as without it', async () => {
    const withKv = new TransformersEngine({ model: 'tiny-critic-kv', localModelPath: `${MODELS}/`, dtype: 'fp32' });
    const without = new TransformersEngine({ model: 'tiny-critic-kv', localModelPath: `${MODELS}/`, dtype: 'fp32', reusePrefix: false });
    expect((await withKv.load(() => {})).kvReuse).toBe(true);
    await without.load(() => {});
    const sig = new AbortController().signal;
    let history = 'USER: hello';
    const first = await withKv.generate({ system, user: history }, sig);
    expect(first.reusedTokens).toBe(0);
    history += '\nAGENT: hi, how can I help?';
    const second = await withKv.generate({ system, user: history }, sig);
    const plain = await without.generate({ system, user: history }, sig);
    // Shared: everything up to the newline after 'hello' (the first prompt then went on with '<|assistant|>\n', one byte token each).
    expect(second.reusedTokens).toBe(first.usage.promptTokens - '<|assistant|>\n'.length);
    expect(second.prefillTokens + second.reusedTokens).toBe(second.usage.promptTokens);
    expect(plain.reusedTokens).toBe(0);
    expect(second.text).toBe(plain.text);
    expect(second.text).toBe('{"decision": "approve"}');
    await withKv.resetCache();
    const third = await withKv.generate({ system, user: history }, sig);
    expect(third.reusedTokens).toBe(0);
  });

  it('fails loading a missing model with a load-failed EngineError', async () => {
    const engine = new TransformersEngine({ model: 'no-such-model', localModelPath: `${MODELS}/` });
    await expect(engine.load(() => {})).rejects.toMatchObject({ code: 'load-failed' });
  });
});

describe('the context window (tiny-critic-2k: 2,048 positions, one token per byte)', () => {
  const sig = new AbortController().signal;
  const longInput = (policy: string): CriticInput => ({
    policy,
    tools: [],
    history: Array.from({ length: 30 }, (_, i): ChatMessage[] => [
      { role: 'user', content: `Where is order ${i}?` },
      { role: 'assistant', content: '', toolCalls: [{ id: `c${i}`, name: 'get_order', arguments: { id: i } }] },
      { role: 'tool', toolCallId: `c${i}`, name: 'get_order', content: JSON.stringify({ id: i, items: ['shirt', 'lamp', 'kettle'], status: 'delivered' }) },
    ]).flat(),
    proposal: { kind: 'message', content: 'Your order is on its way.' },
    previousAttempts: [],
  });

  it('reads the window from config.json, takes a smaller one when asked, and counts with the model tokenizer', async () => {
    const engine = new TransformersEngine({ model: 'tiny-critic-2k', localModelPath: `${MODELS}/`, dtype: 'fp32' });
    expect((await engine.load(() => {})).contextWindow).toBe(2048);
    expect(engine.tokenCounter()?.('héllo')).toBe(6); // byte-level: é is two bytes
    const smaller = new TransformersEngine({ model: 'tiny-critic-2k', localModelPath: `${MODELS}/`, dtype: 'fp32', contextWindow: 512 });
    expect((await smaller.load(() => {})).contextWindow).toBe(512);
  });

  it('fits a long episode into the window through the budget, and every verdict parses', async () => {
    const engine = new TransformersEngine({ model: 'tiny-critic-2k', localModelPath: `${MODELS}/`, dtype: 'fp32' });
    await engine.load(() => {});
    const critic = new EngineCritic(engine, 24);
    const input = longInput('Verify the user before any change.');
    expect(buildCriticPrompt(input).user.length).toBeGreaterThan(2048);
    const { verdict, stats } = await critic.judgeWithStats(input, sig);
    expect(verdict.decision).toBe('approve');
    expect(stats.prefillTokens + stats.reusedTokens).toBeLessThan(2048);
  });

  it('refuses a prompt that cannot fit with a context-overflow error, from the budget and from the engine itself', async () => {
    const engine = new TransformersEngine({ model: 'tiny-critic-2k', localModelPath: `${MODELS}/`, dtype: 'fp32' });
    await engine.load(() => {});
    const critic = new EngineCritic(engine, 24);
    await expect(critic.judge(longInput('Never refund. '.repeat(200)), sig)).rejects.toMatchObject({ code: 'context-overflow' });
    await expect(engine.generate({ system, user: 'x'.repeat(4000) }, sig)).rejects.toMatchObject({ code: 'context-overflow' });
  });
});

describe('device and dtype choice', () => {
  it('falls back from webgpu to wasm in the browser, and uses cpu under Node', () => {
    expect(deviceCandidates('auto', true, false)).toEqual(['webgpu', 'wasm']);
    expect(deviceCandidates('auto', false, false)).toEqual(['wasm']);
    // Asked for WebGPU where no adapter exists: go straight to wasm (a failed WebGPU init blocks the fallback).
    expect(deviceCandidates('webgpu', false, false)).toEqual(['wasm']);
    expect(deviceCandidates('webgpu', true, false)).toEqual(['webgpu', 'wasm']);
    expect(deviceCandidates('wasm', true, false)).toEqual(['wasm']);
    expect(deviceCandidates('auto', false, true)).toEqual(['cpu']);
  });
  it('uses q4f16 only on WebGPU with shader-f16', () => {
    expect(dtypeCandidates('auto', 'webgpu', true)).toEqual(['q4f16', 'q4', 'fp32']);
    expect(dtypeCandidates('auto', 'webgpu', false)).toEqual(['q4', 'fp32']);
    expect(dtypeCandidates('q4f16', 'wasm', true)).toEqual(['q4', 'fp32']);
    expect(dtypeCandidates('fp32', 'wasm', false)).toEqual(['fp32']);
  });
  it('loads a model URL from its parent folder', () => {
    expect(splitModelLocation('https://example.org/m/my-critic/')).toEqual({ id: 'my-critic', localModelPath: 'https://example.org/m/' });
    expect(splitModelLocation('onnx-community/Qwen2.5-0.5B-Instruct')).toEqual({ id: 'onnx-community/Qwen2.5-0.5B-Instruct' });
  });
});
