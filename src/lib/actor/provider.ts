import { z } from 'zod';

/** How to reach a model: the user's choice in settings. The key lives only in memory (or, opted in, in local storage). */
export const ProviderConfigSchema = z.object({
  kind: z.enum(['openai-compatible', 'anthropic']),
  baseUrl: z.string().url(),
  model: z.string().min(1),
  apiKey: z.string(),
  temperature: z.number().min(0).max(2).default(0),
  maxTokens: z.number().int().positive().default(1024),
  /** Stream replies (text deltas arrive as they are generated). */
  stream: z.boolean().default(false),
});
export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;

export const PROVIDER_PRESETS = [
  { id: 'openai', label: 'OpenAI', kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o' },
  { id: 'anthropic', label: 'Anthropic', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', model: 'claude-sonnet-4-5' },
  { id: 'openrouter', label: 'OpenRouter', kind: 'openai-compatible', baseUrl: 'https://openrouter.ai/api/v1', model: 'openai/gpt-4o' },
  { id: 'groq', label: 'Groq', kind: 'openai-compatible', baseUrl: 'https://api.groq.com/openai/v1', model: 'llama-3.3-70b-versatile' },
  { id: 'together', label: 'Together', kind: 'openai-compatible', baseUrl: 'https://api.together.xyz/v1', model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo' },
  { id: 'ollama', label: 'Ollama (local)', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b' },
  { id: 'vllm', label: 'vLLM (local)', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1', model: 'Qwen/Qwen2.5-7B-Instruct' },
] as const satisfies ReadonlyArray<{ id: string; label: string; kind: ProviderConfig['kind']; baseUrl: string; model: string }>;
