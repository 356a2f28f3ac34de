/**
 * The web-llm models fit for each role, from web-llm's own prebuilt list: as a
 * critic, small (0.5B–4B) general instruct models of the Qwen, Llama-3.2, Phi,
 * Gemma and SmolLM families; as the actor, larger (3B–9B) instruct models.
 * Both need a context window that holds a policy. Pure, so the pickers' rules
 * are tested without a GPU.
 */
import type { ModelRecord } from '@mlc-ai/web-llm';

export interface WebLLMModelOption {
  id: string;
  family: string;
  /** Billions of parameters. */
  paramsB: number;
  /** MLC quantization, e.g. q4f16_1. */
  quant: string;
  /** Needs the adapter's shader-f16 feature. */
  needsF16: boolean;
  vramMB: number;
  /** Weights to download, estimated from parameters and quantization (web-llm's list does not say). */
  downloadMB: number;
  contextWindow: number;
  lowResource: boolean;
}

interface Family {
  family: string;
  re: RegExp;
}

/** Which models suit a role: families, a size range, and variants to leave out. */
interface RoleSpec {
  families: readonly Family[];
  exclude: RegExp;
  minB: number;
  maxB: number;
}

const CRITIC_FAMILIES: Family[] = [
  { family: 'Qwen', re: /^Qwen(2|2\.5|3|3\.5)-/ },
  { family: 'Llama-3.2', re: /^Llama-3\.2-/ },
  { family: 'Phi', re: /^Phi-(3|3\.5|4)-mini/ },
  { family: 'Gemma', re: /^gemma(-2|3)-/ },
  { family: 'SmolLM', re: /^SmolLM2-/ },
];

/** Specialised or non-instruct variants make poor general critics. */
const CRITIC_ROLE: RoleSpec = { families: CRITIC_FAMILIES, exclude: /Coder|Math|jpn|vision|Base|Reasoning|Hermes|DeepSeek/i, minB: 0.5, maxB: 4 };

/**
 * The actor follows a long policy and answers in a JSON action format: general
 * instruct and function-calling (Hermes) models. Reasoning distills spend the
 * token budget thinking; coder/math models and Llama-2 follow policies poorly.
 */
const ACTOR_ROLE: RoleSpec = {
  families: [
    { family: 'Hermes', re: /^(Open|Neural)?Hermes-/ },
    { family: 'Qwen', re: /^Qwen(2|2\.5|3|3\.5)-/ },
    { family: 'Llama-3', re: /^Llama-3(\.1|\.2)?-/ },
    { family: 'Mistral', re: /^(Mistral|Ministral)-/ },
    { family: 'Phi', re: /^Phi-(3|3\.5|4)-mini/ },
    { family: 'Gemma', re: /^gemma(-2|3)-/ },
  ],
  exclude: /Coder|Math|jpn|vision|Base|Reasoning|DeepSeek/i,
  minB: 3,
  maxB: 9,
};
const NAMED_SIZES: Record<string, number> = { 'Phi-3-mini': 3.8, 'Phi-3.5-mini': 3.8, 'Phi-4-mini': 3.8 };
/** Effective bits per weight, group scales included. */
const BITS: Record<string, number> = { q4f16_1: 4.5, q4f32_1: 5, q0f16: 16, q0f32: 32, q3f16_1: 3.5 };
/** A critic prompt holds the whole policy: tau-bench's airline policy alone is ~3k tokens. */
const MIN_CONTEXT = 4096;

/** web-llm loads every prebuilt model with this window unless told otherwise (config.ts). */
export const WEBLLM_DEFAULT_WINDOW = 4096;
/**
 * The critic's default window: a full tau-bench episode at the prompt budget
 * fits in it (tests/real-length: no overflow at 16k for either domain), where
 * the model allows it.
 */
export const DEFAULT_CRITIC_WINDOW = 16384;

/**
 * Architecture facts per model family, from each model's config.json on the
 * Hugging Face hub: the longest window (max_position_embeddings) and the KV
 * cache per token (2 × layers × KV heads × head size values).
 */
interface Architecture {
  re: RegExp;
  maxWindow: number;
  layers: number;
  kvHeads: number;
  headDim: number;
}
const ARCHITECTURES: Architecture[] = [
  { re: /^Qwen2(\.5)?-0\.5B/, maxWindow: 32768, layers: 24, kvHeads: 2, headDim: 64 },
  { re: /^Qwen2(\.5)?-1\.5B/, maxWindow: 32768, layers: 28, kvHeads: 2, headDim: 128 },
  { re: /^Qwen2\.5-3B/, maxWindow: 32768, layers: 36, kvHeads: 2, headDim: 128 },
  { re: /^Qwen3-0\.6B/, maxWindow: 40960, layers: 28, kvHeads: 8, headDim: 128 },
  { re: /^Qwen3-1\.7B/, maxWindow: 40960, layers: 28, kvHeads: 8, headDim: 128 },
  { re: /^Qwen3-4B/, maxWindow: 40960, layers: 36, kvHeads: 8, headDim: 128 },
  { re: /^Llama-3\.2-1B/, maxWindow: 131072, layers: 16, kvHeads: 8, headDim: 64 },
  { re: /^Llama-3\.2-3B/, maxWindow: 131072, layers: 28, kvHeads: 8, headDim: 128 },
  { re: /^Phi-3\.5-mini/, maxWindow: 131072, layers: 32, kvHeads: 32, headDim: 96 },
  { re: /^Phi-3-mini-4k/, maxWindow: 4096, layers: 32, kvHeads: 32, headDim: 96 },
  { re: /^gemma-2-2b/, maxWindow: 8192, layers: 26, kvHeads: 4, headDim: 256 },
  { re: /^SmolLM2-1\.7B/, maxWindow: 8192, layers: 24, kvHeads: 32, headDim: 64 },
  { re: /^SmolLM2-360M/, maxWindow: 8192, layers: 32, kvHeads: 5, headDim: 64 },
  { re: /^SmolLM2-135M/, maxWindow: 8192, layers: 30, kvHeads: 3, headDim: 64 },
];

const architectureOf = (modelId: string): Architecture | undefined => ARCHITECTURES.find((a) => a.re.test(modelId));

/** The longest window a prebuilt model supports; web-llm's default for a model not in the table. */
export function modelMaxWindow(modelId: string): number {
  return architectureOf(modelId)?.maxWindow ?? WEBLLM_DEFAULT_WINDOW;
}

/** The window a critic loads with by default: DEFAULT_CRITIC_WINDOW, or less where the model stops sooner. */
export function criticWindowDefault(modelId: string): number {
  return Math.min(DEFAULT_CRITIC_WINDOW, modelMaxWindow(modelId));
}

/** KV-cache bytes per token (f16 values; f32 for q*f32 builds); undefined for a model not in the table. */
export function kvBytesPerToken(modelId: string): number | undefined {
  const a = architectureOf(modelId);
  if (!a) return undefined;
  const bytes = /f32/.test(quantOf(modelId) ?? '') ? 4 : 2;
  return 2 * a.layers * a.kvHeads * a.headDim * bytes;
}

/**
 * GPU memory at a window: web-llm's figure (measured at its 4,096 window) with
 * the KV cache of 4,096 tokens swapped for that of `window` tokens.
 */
export function vramAtWindowMB(option: Pick<WebLLMModelOption, 'id' | 'vramMB'>, window: number): number {
  const perToken = kvBytesPerToken(option.id);
  if (perToken === undefined) return option.vramMB;
  return Math.round(option.vramMB + ((window - WEBLLM_DEFAULT_WINDOW) * perToken) / 1e6);
}

export function paramsOf(modelId: string): number | undefined {
  for (const [name, size] of Object.entries(NAMED_SIZES)) if (modelId.startsWith(`${name}-`)) return size;
  const m = /[-_](\d+(?:\.\d+)?)([BM])(?=[-_])/i.exec(modelId);
  if (!m?.[1] || !m[2]) return undefined;
  const n = Number(m[1]);
  return m[2].toUpperCase() === 'M' ? n / 1000 : n;
}

export function quantOf(modelId: string): string | undefined {
  return /-(q\d+f\d+(?:_\d+)?)-MLC/.exec(modelId)?.[1];
}

function toOption(r: ModelRecord, families: readonly Family[] = CRITIC_FAMILIES): WebLLMModelOption | undefined {
  const family = families.find((f) => f.re.test(r.model_id))?.family;
  const paramsB = paramsOf(r.model_id);
  const quant = quantOf(r.model_id);
  if (!family || paramsB === undefined || !quant) return undefined;
  const bits = BITS[quant] ?? 16;
  return {
    id: r.model_id,
    family,
    paramsB,
    quant,
    needsF16: (r.required_features ?? []).includes('shader-f16') || /f16/.test(quant),
    vramMB: Math.round(r.vram_required_MB ?? 0),
    downloadMB: Math.round((paramsB * 1e9 * bits) / 8 / 1e6),
    contextWindow: r.overrides?.context_window_size ?? MIN_CONTEXT,
    lowResource: r.low_resource_required ?? false,
  };
}

interface ModelFilter {
  shaderF16: boolean;
  /** Drop models that need more GPU memory than this, when known. */
  maxVramMB?: number;
}

/** The models of a role the adapter can run; f16 variants only with shader-f16. Sorted small to large. */
function roleModelOptions(role: RoleSpec, list: readonly ModelRecord[], filter: ModelFilter): WebLLMModelOption[] {
  const out: WebLLMModelOption[] = [];
  for (const r of list) {
    // model_type 1 = embedding, 2 = vision-language.
    if (r.model_type !== undefined && r.model_type !== 0) continue;
    if (role.exclude.test(r.model_id)) continue;
    const o = toOption(r, role.families);
    if (!o || o.paramsB < role.minB || o.paramsB > role.maxB) continue;
    if (o.contextWindow < MIN_CONTEXT) continue;
    if (o.needsF16 && !filter.shaderF16) continue;
    if (filter.maxVramMB !== undefined && o.vramMB > filter.maxVramMB) continue;
    out.push(o);
  }
  return out.sort((a, b) => a.paramsB - b.paramsB || a.vramMB - b.vramMB || a.id.localeCompare(b.id));
}

/** The critic picker's list: critic-sized instruct models the adapter can run. */
export function criticModelOptions(list: readonly ModelRecord[], filter: ModelFilter): WebLLMModelOption[] {
  return roleModelOptions(CRITIC_ROLE, list, filter);
}

/** The local actor picker's list: 3B–9B instruct models the adapter can run. */
export function actorModelOptions(list: readonly ModelRecord[], filter: ModelFilter): WebLLMModelOption[] {
  return roleModelOptions(ACTOR_ROLE, list, filter);
}
