import { describe, expect, it } from 'vitest';
import { formatBytes } from '../format-bytes.ts';
import { engineOptions, probeCapabilities, type GpuAdapterLike, type NavigatorLike } from './capabilities.ts';

/** Node has no navigator.gpu: this stands in for the browser's WebGPU API. */
function gpuDouble(adapter: GpuAdapterLike | null | Error): NavigatorLike['gpu'] {
  return {
    requestAdapter: async () => {
      if (adapter instanceof Error) throw adapter;
      return adapter;
    },
  };
}
const limits = { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30, maxComputeWorkgroupStorageSize: 32768 };
const storage = { estimate: async () => ({ usage: 1000, quota: 5000 }), persisted: async () => false };

describe('probeCapabilities', () => {
  it('explains a browser without WebGPU and still offers wasm and remote', async () => {
    const c = await probeCapabilities({ storage });
    expect(c.webgpu).toBe(false);
    expect(c.webgpuProblem).toMatch(/navigator\.gpu is missing/);
    expect(c.storage).toEqual({ usage: 1000, quota: 5000, free: 4000, persisted: false });
    const opts = engineOptions(c);
    expect(opts.filter((o) => o.available).map((o) => [o.engine, o.device])).toEqual([
      ['transformers', 'wasm'],
      ['openai-compatible', undefined],
    ]);
  });

  it('reads adapter info, shader-f16 and limits', async () => {
    const c = await probeCapabilities({
      gpu: gpuDouble({ features: new Set(['shader-f16']), limits, info: { vendor: 'nvidia', architecture: 'ampere' } }),
    });
    expect(c).toMatchObject({ webgpu: true, shaderF16: true, limits, adapter: { vendor: 'nvidia', architecture: 'ampere', fallback: false } });
    expect(engineOptions(c).every((o) => o.available)).toBe(true);
  });

  it('offers only f32 web-llm variants without shader-f16, and no web-llm on a software adapter', async () => {
    const noF16 = await probeCapabilities({ gpu: gpuDouble({ features: new Set(), limits }) });
    expect(noF16.shaderF16).toBe(false);
    expect(engineOptions(noF16)[0]?.note).toMatch(/only the f32 variants/);
    const sw = await probeCapabilities({ gpu: gpuDouble({ features: new Set(), limits, info: { vendor: 'google', description: 'SwiftShader Device' } }) });
    expect(engineOptions(sw)[0]).toMatchObject({ engine: 'webllm', available: false });
    expect(engineOptions(sw)[1]).toMatchObject({ engine: 'transformers', device: 'webgpu', available: true });
  });

  it('reports a missing adapter and a failing requestAdapter', async () => {
    expect((await probeCapabilities({ gpu: gpuDouble(null) })).webgpuProblem).toMatch(/no GPU adapter/);
    expect((await probeCapabilities({ gpu: gpuDouble(new Error('boom')) })).webgpuProblem).toMatch(/boom/);
  });

  it('formats byte counts', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536 * 1024 * 1024)).toBe('1.5 GB');
    expect(formatBytes(undefined)).toBe('unknown');
  });
});
