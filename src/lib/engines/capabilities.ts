/**
 * What this browser can run a critic on: WebGPU adapter, shader-f16, limits,
 * storage. Without WebGPU it says why and which options still work.
 */
import type { Engine } from '../contracts.ts';

/** The part of the WebGPU API this probe reads (lib.dom has no WebGPU types). */
export interface GpuAdapterLike {
  features: { has(name: string): boolean };
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number; maxComputeWorkgroupStorageSize: number };
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}
export interface NavigatorLike {
  gpu?: unknown;
  storage?: { estimate(): Promise<{ usage?: number; quota?: number }>; persisted?(): Promise<boolean> };
  hardwareConcurrency?: number;
  deviceMemory?: unknown;
}

export interface Capabilities {
  webgpu: boolean;
  /** Why WebGPU is not usable, when it is not. */
  webgpuProblem?: string;
  adapter?: { vendor: string; architecture: string; device: string; description: string; fallback: boolean };
  shaderF16: boolean;
  limits?: GpuAdapterLike['limits'];
  storage?: { usage?: number; quota?: number; free?: number; persisted?: boolean };
  cpuCores?: number;
}

/** An engine this browser could run a critic on, of the one engine vocabulary (a remote endpoint: 'openai-compatible'), with the device and how it is shown. */
export interface EngineOption {
  engine: Engine;
  device?: 'webgpu' | 'wasm';
  /** What the Critic tab shows for it. */
  label: string;
  available: boolean;
  note: string;
}

function isGpu(x: unknown): x is GpuLike {
  return typeof x === 'object' && x !== null && typeof Reflect.get(x, 'requestAdapter') === 'function';
}

export async function probeCapabilities(nav: NavigatorLike | undefined = typeof navigator === 'undefined' ? undefined : navigator): Promise<Capabilities> {
  const caps: Capabilities = { webgpu: false, shaderF16: false };
  if (nav?.hardwareConcurrency) caps.cpuCores = nav.hardwareConcurrency;
  if (nav?.storage) {
    try {
      const est = await nav.storage.estimate();
      const persisted = nav.storage.persisted ? await nav.storage.persisted() : undefined;
      caps.storage = {
        ...est,
        ...(est.quota !== undefined && est.usage !== undefined ? { free: Math.max(0, est.quota - est.usage) } : {}),
        ...(persisted !== undefined ? { persisted } : {}),
      };
    } catch {
      // Storage estimates are a nicety; some private modes refuse them.
    }
  }
  if (!nav || !isGpu(nav.gpu)) {
    caps.webgpuProblem = 'This browser does not expose WebGPU (navigator.gpu is missing): it is off, unsupported, or the page is not a secure context.';
    return caps;
  }
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await nav.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    caps.webgpuProblem = `WebGPU is present but requesting an adapter failed: ${err instanceof Error ? err.message : String(err)}`;
    return caps;
  }
  if (!adapter) {
    caps.webgpuProblem = 'WebGPU is present but no GPU adapter is available (blocklisted driver, or no GPU).';
    return caps;
  }
  caps.webgpu = true;
  caps.shaderF16 = adapter.features.has('shader-f16');
  caps.limits = {
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
  };
  const info = adapter.info ?? {};
  caps.adapter = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    fallback: adapter.isFallbackAdapter ?? false,
  };
  return caps;
}

/** Which critic engines this browser can run, each with a one-line reason. */
export function engineOptions(c: Capabilities): EngineOption[] {
  const software = c.adapter?.fallback || /swiftshader/i.test(`${c.adapter?.vendor} ${c.adapter?.description} ${c.adapter?.architecture}`);
  return [
    {
      engine: 'webllm',
      device: 'webgpu',
      label: 'webllm',
      available: c.webgpu && !software,
      note: !c.webgpu
        ? 'Needs WebGPU.'
        : software
          ? 'Only a software (CPU) WebGPU adapter is available: web-llm models would be far too slow.'
          : c.shaderF16
            ? 'Fastest: all listed models, f16 variants included.'
            : 'No shader-f16 on this GPU: only the f32 variants are offered (more memory, a bit slower).',
    },
    {
      engine: 'transformers',
      device: 'webgpu',
      label: 'transformers-webgpu',
      available: c.webgpu,
      note: c.webgpu ? 'ONNX models on the GPU (q4f16 with shader-f16, else q4).' : 'Needs WebGPU.',
    },
    { engine: 'transformers', device: 'wasm', label: 'transformers-wasm', available: true, note: 'Works everywhere, on the CPU: fine for tiny critics, slow for 0.5B+ models.' },
    { engine: 'openai-compatible', label: 'remote', available: true, note: 'Any OpenAI-compatible endpoint (your own vLLM/Ollama server, or a hosted model).' },
  ];
}
