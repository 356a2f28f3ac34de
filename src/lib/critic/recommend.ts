/**
 * Which critic to suggest to a newcomer, from what this browser has: the
 * WebGPU adapter (vendor, architecture, software or not), shader-f16 and its
 * limits. One model, with its download size and GPU memory, and the reason;
 * without a usable GPU, the wasm engine with a tiny model or the remote
 * critic. Pure, so the rule is tested against adapter descriptions.
 */
import { z } from 'zod';
import type { Capabilities } from '../engines/capabilities.ts';
import type { WebLLMModelOption } from '../engines/webllm-models.ts';
import { EngineSchema } from '../contracts.ts';

export const RecommendationSchema = z.object({
  /** Of the one engine vocabulary: an on-device engine, or 'openai-compatible' for a remote critic endpoint. */
  engine: EngineSchema.extract(['webllm', 'transformers', 'openai-compatible']),
  /** A web-llm model id, a transformers.js model id or URL; none for a remote endpoint. */
  model: z.string().optional(),
  device: z.enum(['auto', 'webgpu', 'wasm']).optional(),
  downloadMB: z.number().nonnegative().optional(),
  gpuMemoryMB: z.number().nonnegative().optional(),
  reason: z.string(),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

/** The wasm fallback: a 0.5B ONNX model, q4 (about 480 MB), a few seconds per verdict on a laptop CPU. */
export const WASM_CRITIC = { model: 'onnx-community/Qwen2.5-0.5B-Instruct', downloadMB: 480 } as const;

type GpuClass = 'software' | 'mobile' | 'integrated' | 'apple' | 'discrete' | 'unknown';

/** What kind of GPU an adapter is, from the words browsers put in its info. */
export function gpuClass(caps: Capabilities): GpuClass {
  const a = caps.adapter;
  if (!a) return 'unknown';
  const words = `${a.vendor} ${a.architecture} ${a.device} ${a.description}`.toLowerCase();
  if (a.fallback || /swiftshader|llvmpipe|lavapipe|software|basic render/.test(words)) return 'software';
  if (/qualcomm|adreno|\barm\b|mali|imagination|powervr|samsung|xclipse/.test(words)) return 'mobile';
  if (/apple|metal-3|\bm[1-4]\b/.test(words)) return 'apple';
  if (/nvidia|geforce|rtx|quadro|\bamd\b|radeon|rdna|arc a\d|alchemist|battlemage/.test(words)) return 'discrete';
  if (/intel|gen-\d+|\bxe\b|iris|uhd/.test(words)) return 'integrated';
  return 'unknown';
}

/** GPU memory a critic may take without starving the page and the actor's tab: MB, by GPU class. */
const BUDGET_MB: Record<GpuClass, number> = { software: 0, mobile: 1200, integrated: 1800, unknown: 1800, apple: 4000, discrete: 6000 };

/** Largest critic worth suggesting first: 1.5B answers well and downloads in a minute or two. */
const MAX_SUGGESTED_B = 1.5;

function gpuBudgetMB(caps: Capabilities): number {
  const budget = BUDGET_MB[gpuClass(caps)];
  // A GPU that cannot hold a 1 GiB buffer is a small one whatever its name says.
  const maxBuffer = caps.limits?.maxBufferSize ?? 0;
  return maxBuffer > 0 && maxBuffer < 2 ** 30 ? Math.min(budget, 1200) : budget;
}

/** The critic to suggest; `options` are the web-llm critic models this adapter can run (criticModelOptions). */
export function recommendCritic(caps: Capabilities, options: readonly WebLLMModelOption[]): Recommendation {
  const cls = gpuClass(caps);
  const remote: Recommendation = { engine: 'openai-compatible', reason: '' };
  if (!caps.webgpu || cls === 'software') {
    const why = !caps.webgpu ? (caps.webgpuProblem ?? 'No WebGPU in this browser.') : 'Only a software (CPU) WebGPU adapter is available.';
    if ((caps.cpuCores ?? 0) >= 4) {
      return {
        engine: 'transformers',
        model: WASM_CRITIC.model,
        device: 'wasm',
        downloadMB: WASM_CRITIC.downloadMB,
        reason: `${why} The wasm engine runs a 0.5B critic on the CPU (${caps.cpuCores} cores): a few seconds per verdict.`,
      };
    }
    return { ...remote, reason: `${why} With ${caps.cpuCores ?? 'few'} CPU cores an in-browser critic would be too slow: use a remote critic (any OpenAI-compatible endpoint).` };
  }
  const budget = gpuBudgetMB(caps);
  const fits = options.filter((o) => o.vramMB > 0 && o.vramMB <= budget && o.paramsB <= MAX_SUGGESTED_B);
  // Qwen2.5 instruct first (the paper's critic family), the largest that fits; then anything that fits.
  const qwen = fits.filter((o) => /^Qwen2\.5-[\d.]+B-Instruct-/.test(o.id));
  const byPreference = (xs: WebLLMModelOption[]) =>
    [...xs].sort((a, b) => b.paramsB - a.paramsB || Number(b.needsF16 && caps.shaderF16) - Number(a.needsF16 && caps.shaderF16) || a.vramMB - b.vramMB);
  const pick = byPreference(qwen)[0] ?? byPreference(fits)[0];
  const gpu = [caps.adapter?.vendor, caps.adapter?.architecture].filter(Boolean).join(' ') || 'this GPU';
  if (!pick) {
    return {
      engine: 'transformers',
      model: WASM_CRITIC.model,
      device: 'auto',
      downloadMB: WASM_CRITIC.downloadMB,
      reason: `No web-llm critic fits the ${budget} MB this ${cls} GPU (${gpu}) can spare: a 0.5B ONNX model on WebGPU instead.`,
    };
  }
  return {
    engine: 'webllm',
    model: pick.id,
    device: 'webgpu',
    downloadMB: pick.downloadMB,
    gpuMemoryMB: pick.vramMB,
    reason: `${gpu} (${cls} GPU${caps.shaderF16 ? ', shader-f16' : ', no shader-f16'}): ${pick.paramsB}B ${pick.family} fits in the ${budget} MB a critic may use here.`,
  };
}

/**
 * A critic named in the page's address (`?critic=transformers:<id or URL>` or
 * `?critic=webllm:<id>`), e.g. in a link shared after a talk; it replaces the
 * computed suggestion. Undefined when absent or malformed.
 */
export function recommendationFromQuery(search: string): Recommendation | undefined {
  const value = new URLSearchParams(search).get('critic');
  const m = value ? /^(transformers|webllm):(.+)$/.exec(value) : null;
  if (!m?.[1] || !m[2]) return undefined;
  const engine = m[1] === 'webllm' ? 'webllm' : 'transformers';
  return { engine, model: m[2], device: engine === 'webllm' ? 'webgpu' : 'auto', reason: 'Named in the link that opened this page.' };
}
