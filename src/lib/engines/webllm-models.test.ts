import { prebuiltAppConfig, type ModelRecord } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { actorModelOptions, criticModelOptions, paramsOf, quantOf } from './webllm-models.ts';
import { criticWindowDefault, kvBytesPerToken, modelMaxWindow, vramAtWindowMB } from './webllm-models.ts';

const list = prebuiltAppConfig.model_list;

describe('criticModelOptions over web-llm 0.2.86 prebuilt list', () => {
  it('offers only f32 variants without shader-f16', () => {
    const opts = criticModelOptions(list, { shaderF16: false });
    expect(opts.length).toBeGreaterThan(5);
    for (const o of opts) expect(o.quant).toMatch(/f32/);
    expect(opts.map((o) => o.id)).toContain('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    expect(opts.map((o) => o.id)).not.toContain('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
  });

  it('with shader-f16 also offers f16 variants, all 0.5B–4B instruct models of the five families', () => {
    const opts = criticModelOptions(list, { shaderF16: true });
    const ids = opts.map((o) => o.id);
    expect(ids).toContain('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
    expect(ids).toContain('Llama-3.2-1B-Instruct-q4f16_1-MLC');
    expect(ids).toContain('Phi-3.5-mini-instruct-q4f16_1-MLC');
    expect(ids).toContain('gemma-2-2b-it-q4f16_1-MLC');
    expect(ids).toContain('SmolLM2-1.7B-Instruct-q4f16_1-MLC');
    for (const o of opts) {
      expect(o.paramsB).toBeGreaterThanOrEqual(0.5);
      expect(o.paramsB).toBeLessThanOrEqual(4);
      expect(o.contextWindow).toBeGreaterThanOrEqual(4096);
      expect(o.vramMB).toBeGreaterThan(0);
      expect(o.downloadMB).toBeGreaterThan(0);
    }
    for (const bad of ['Llama-3.1-8B-Instruct-q4f16_1-MLC', 'SmolLM2-360M-Instruct-q4f16_1-MLC', 'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC', 'gemma-2-2b-it-q4f16_1-MLC-1k', 'Phi-3.5-vision-instruct-q4f16_1-MLC', 'snowflake-arctic-embed-s-q0f32-MLC-b4']) {
      expect(ids).not.toContain(bad);
    }
    // Sorted small to large.
    expect(opts.map((o) => o.paramsB)).toEqual([...opts.map((o) => o.paramsB)].sort((a, b) => a - b));
  });

  it('drops models above the VRAM budget', () => {
    const opts = criticModelOptions(list, { shaderF16: true, maxVramMB: 1000 });
    expect(opts.length).toBeGreaterThan(0);
    for (const o of opts) expect(o.vramMB).toBeLessThanOrEqual(1000);
  });

  it('treats a record that requires shader-f16 as f16 even when its name does not say so', () => {
    const rec: ModelRecord = { model: 'https://x/y', model_id: 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC', model_lib: 'https://x/lib.wasm', required_features: ['shader-f16'], vram_required_MB: 10 };
    expect(criticModelOptions([rec], { shaderF16: false })).toEqual([]);
    expect(criticModelOptions([rec], { shaderF16: true })).toHaveLength(1);
  });

  it('parses sizes and quantizations from model ids', () => {
    expect(paramsOf('Qwen3-0.6B-q4f16_1-MLC')).toBe(0.6);
    expect(paramsOf('gemma-2-2b-it-q4f32_1-MLC')).toBe(2);
    expect(paramsOf('SmolLM2-360M-Instruct-q4f16_1-MLC')).toBeCloseTo(0.36);
    expect(paramsOf('Phi-3.5-mini-instruct-q4f16_1-MLC')).toBe(3.8);
    expect(quantOf('Qwen2.5-0.5B-Instruct-q0f32-MLC')).toBe('q0f32');
  });
});

describe('actorModelOptions over web-llm 0.2.86 prebuilt list', () => {
  it('offers 3B–9B instruct and function-calling models, f32 only without shader-f16', () => {
    const ids = actorModelOptions(list, { shaderF16: false }).map((o) => o.id);
    for (const id of ['Qwen2.5-7B-Instruct-q4f32_1-MLC', 'Llama-3.1-8B-Instruct-q4f32_1-MLC', 'Hermes-3-Llama-3.1-8B-q4f32_1-MLC', 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC', 'Phi-3.5-mini-instruct-q4f32_1-MLC']) {
      expect(ids).toContain(id);
    }
    for (const id of ids) expect(id).toMatch(/f32/);
    // Needs shader-f16 (by name or by required_features): absent here.
    expect(ids).not.toContain('Hermes-2-Pro-Mistral-7B-q4f16_1-MLC');
  });

  it('with shader-f16 adds f16 variants and leaves out critic-sized, reasoning, coder, math, base and short-context models', () => {
    const opts = actorModelOptions(list, { shaderF16: true });
    const ids = opts.map((o) => o.id);
    expect(ids).toContain('Qwen2.5-7B-Instruct-q4f16_1-MLC');
    expect(ids).toContain('Hermes-2-Pro-Mistral-7B-q4f16_1-MLC');
    expect(ids).toContain('Mistral-7B-Instruct-v0.3-q4f16_1-MLC');
    for (const bad of [
      'Qwen2.5-1.5B-Instruct-q4f16_1-MLC',
      'DeepSeek-R1-Distill-Qwen-7B-q4f16_1-MLC',
      'Qwen2.5-Coder-7B-Instruct-q4f16_1-MLC',
      'Qwen2-Math-7B-Instruct-q4f16_1-MLC',
      'Ministral-3-3B-Reasoning-2512-q4f16_1-MLC',
      'Ministral-3-3B-Base-2512-q4f16_1-MLC',
      'Llama-3.1-8B-Instruct-q4f16_1-MLC-1k',
      'Llama-2-13b-chat-hf-q4f16_1-MLC',
      'WizardMath-7B-V1.1-q4f16_1-MLC',
    ]) {
      expect(ids).not.toContain(bad);
    }
    for (const o of opts) {
      expect(o.paramsB).toBeGreaterThanOrEqual(3);
      expect(o.paramsB).toBeLessThanOrEqual(9);
      expect(o.vramMB).toBeGreaterThan(0);
      expect(o.downloadMB).toBeGreaterThan(1000);
    }
    expect(opts.find((o) => o.id === 'Hermes-3-Llama-3.1-8B-q4f16_1-MLC')?.family).toBe('Hermes');
    expect(opts.map((o) => o.paramsB)).toEqual([...opts.map((o) => o.paramsB)].sort((a, b) => a - b));
  });

  it('shares the VRAM budget filter with the critic list', () => {
    const opts = actorModelOptions(list, { shaderF16: true, maxVramMB: 4000 });
    expect(opts.length).toBeGreaterThan(0);
    for (const o of opts) expect(o.vramMB).toBeLessThanOrEqual(4000);
    expect(opts.map((o) => o.id)).not.toContain('Llama-3.1-8B-Instruct-q4f16_1-MLC');
  });
});

describe('windows and GPU memory at a window', () => {
  it('defaults a critic to 16k where the model allows it, else to the model’s own maximum', () => {
    expect(criticWindowDefault('Qwen2.5-1.5B-Instruct-q4f16_1-MLC')).toBe(16384);
    expect(modelMaxWindow('Qwen2.5-1.5B-Instruct-q4f16_1-MLC')).toBe(32768);
    expect(modelMaxWindow('Llama-3.2-1B-Instruct-q4f16_1-MLC')).toBe(131072);
    expect(criticWindowDefault('gemma-2-2b-it-q4f16_1-MLC')).toBe(8192);
    expect(criticWindowDefault('unknown-model-q4f16_1-MLC')).toBe(4096);
  });

  it('adds the KV cache of the extra tokens to web-llm’s 4k figure (f16 cache; f32 for q4f32 builds)', () => {
    // Qwen2.5-0.5B: 24 layers × 2 KV heads × 64 dims × K and V × 2 bytes = 12,288 bytes per token.
    expect(kvBytesPerToken('Qwen2.5-0.5B-Instruct-q4f16_1-MLC')).toBe(12288);
    expect(kvBytesPerToken('Qwen2.5-0.5B-Instruct-q4f32_1-MLC')).toBe(24576);
    const o = { id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', vramMB: 945 };
    expect(vramAtWindowMB(o, 4096)).toBe(945);
    expect(vramAtWindowMB(o, 16384)).toBe(945 + Math.round((12288 * 12288) / 1e6));
    expect(vramAtWindowMB(o, 2048)).toBeLessThan(945);
  });
});
