import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import type { Capabilities } from '../engines/capabilities.ts';
import { criticModelOptions } from '../engines/webllm-models.ts';
import { gpuClass, recommendCritic, recommendationFromQuery, WASM_CRITIC } from './recommend.ts';

const GiB = 2 ** 30;
const list = prebuiltAppConfig.model_list;

/** Capabilities as probeCapabilities reports them, from an adapter's info as browsers fill it in. */
function caps(adapter: { vendor: string; architecture: string; description?: string; fallback?: boolean }, shaderF16: boolean, maxBufferSize = 4 * GiB, cpuCores = 8): Capabilities {
  return {
    webgpu: true,
    shaderF16,
    adapter: { device: '', description: '', fallback: false, ...adapter },
    limits: { maxBufferSize, maxStorageBufferBindingSize: Math.min(maxBufferSize, 2 * GiB), maxComputeWorkgroupStorageSize: 32768 },
    cpuCores,
  };
}
const recommend = (c: Capabilities) => recommendCritic(c, criticModelOptions(list, { shaderF16: c.shaderF16 }));

describe('the critic recommended for this browser', () => {
  it('a discrete NVIDIA GPU with shader-f16 gets the 1.5B Qwen2.5 critic in f16, with download and GPU memory', () => {
    const c = caps({ vendor: 'nvidia', architecture: 'ada-lovelace', description: 'NVIDIA GeForce RTX 4070' }, true);
    expect(gpuClass(c)).toBe('discrete');
    const r = recommend(c);
    expect(r).toMatchObject({ engine: 'webllm', model: 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC', device: 'webgpu' });
    expect(r.downloadMB).toBeGreaterThan(500);
    expect(r.gpuMemoryMB).toBeGreaterThan(1000);
    expect(r.reason).toMatch(/discrete GPU, shader-f16/);
  });

  it('an Apple GPU without shader-f16 gets an f32 variant, never one that needs f16', () => {
    const r = recommend(caps({ vendor: 'apple', architecture: 'metal-3' }, false));
    expect(r.engine).toBe('webllm');
    expect(r.model).toMatch(/^Qwen2\.5-1\.5B-Instruct-q4f32_1-MLC$/);
  });

  it('an Intel integrated GPU stays within its smaller budget', () => {
    const c = caps({ vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) UHD Graphics 620' }, true);
    expect(gpuClass(c)).toBe('integrated');
    const r = recommend(c);
    expect(r.engine).toBe('webllm');
    expect(r.gpuMemoryMB).toBeLessThanOrEqual(1800);
  });

  it('a phone GPU (Adreno) or a GPU that cannot hold a 1 GiB buffer gets the 0.5B model', () => {
    const phone = recommend(caps({ vendor: 'qualcomm', architecture: 'adreno-7xx' }, true));
    expect(phone.model).toMatch(/^Qwen2\.5-0\.5B-Instruct-/);
    const small = recommend(caps({ vendor: 'nvidia', architecture: 'turing' }, true, 512 * 2 ** 20));
    expect(small.model).toMatch(/^Qwen2\.5-0\.5B-Instruct-/);
  });

  it('a software adapter (SwiftShader) gets the wasm engine, with the reason', () => {
    const c = caps({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' }, false);
    expect(gpuClass(c)).toBe('software');
    expect(recommend(c)).toMatchObject({ engine: 'transformers', device: 'wasm', model: WASM_CRITIC.model, downloadMB: WASM_CRITIC.downloadMB });
    expect(recommend(c).reason).toMatch(/software/);
  });

  it('without WebGPU: wasm on a 4+ core CPU, else the remote critic, each saying why', () => {
    const none: Capabilities = { webgpu: false, shaderF16: false, webgpuProblem: 'This browser does not expose WebGPU.', cpuCores: 8 };
    expect(recommend(none)).toMatchObject({ engine: 'transformers', device: 'wasm' });
    expect(recommend(none).reason).toContain('does not expose WebGPU');
    const weak = recommend({ ...none, cpuCores: 2 });
    expect(weak.engine).toBe('openai-compatible');
    expect(weak.reason).toMatch(/2 CPU cores.*remote critic/);
  });

  it('a link can name the critic; anything else in the query is ignored', () => {
    expect(recommendationFromQuery('?critic=transformers:tiny-critic')).toMatchObject({ engine: 'transformers', model: 'tiny-critic', device: 'auto' });
    expect(recommendationFromQuery('?critic=webllm:Qwen2.5-0.5B-Instruct-q4f16_1-MLC')).toMatchObject({ engine: 'webllm', device: 'webgpu' });
    expect(recommendationFromQuery('?critic=http://evil')).toBeUndefined();
    expect(recommendationFromQuery('')).toBeUndefined();
  });
});
