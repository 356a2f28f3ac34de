/**
 * Which actor or critic runs, as data: one zod discriminated union on
 * `engine`, parsed once where a spec enters (a stored run, the command line)
 * and handed to the factory (factory.ts), the one place that builds models.
 *
 * - 'openai-compatible' / 'anthropic': a model behind a provider endpoint;
 *   the key and client settings come from the caller's settings, never the spec.
 * - 'local': the on-device model already loaded in this browser (the actor
 *   from the Setup panel, the critic from the Critic tab).
 * - 'webllm' / 'transformers': an on-device critic to load (the Critic tab).
 * - 'none': no critic (the `off` configuration).
 */
import { z } from 'zod';
import { TransformersConfigSchema } from '../engines/transformers-options.ts';
import { engineRunsOnDevice, RemoteEngineSchema, type RemoteEngine } from '../contracts.ts';

const model = z.string().min(1);
/** A critic's context window in tokens (a remote critic keeps to it; an in-browser one was loaded with it). */
const contextWindow = z.number().int().positive().optional();
/** Read from stored run specs of earlier versions and ignored: `runsOnDevice` derives it from the engine. */
const local = z.boolean().optional();

/** The API styles of a remote model (of the one engine vocabulary, contracts.ts). */
export { RemoteEngineSchema, type RemoteEngine };

const remote = { model, baseUrl: z.string().optional(), local, contextWindow };
const OpenAICompatibleSpecSchema = z.object({ engine: z.literal('openai-compatible'), ...remote });
const AnthropicSpecSchema = z.object({ engine: z.literal('anthropic'), ...remote });
const LoadedSpecSchema = z.object({ engine: z.literal('local'), model, baseUrl: z.string().optional(), local, contextWindow });

const WebLLMCriticSpecSchema = z.object({
  engine: z.literal('webllm'),
  /** A web-llm prebuilt model id, or the id given to `custom`. */
  model,
  /** The window to load with, up to the model's own maximum (default: criticWindowDefault). */
  contextWindow,
  cacheBackend: z.enum(['cache', 'indexeddb']).optional(),
  /** A model not in web-llm's list: e.g. a critic fine-tuned on Spotter's exported data. */
  custom: z
    .object({
      modelUrl: z.string().url(),
      modelLibUrl: z.string().url(),
      vramMB: z.number().positive().optional(),
      needsF16: z.boolean().optional(),
      contextWindow,
    })
    .optional(),
  promptStyle: z.enum(['single-turn', 'incremental']).optional(),
});

/** A model that runs in a run or an episode: the actor, the simulated user, or a critic that needs no loading. */
export const ModelSpecSchema = z.discriminatedUnion('engine', [OpenAICompatibleSpecSchema, AnthropicSpecSchema, LoadedSpecSchema]);
export type ModelSpec = z.infer<typeof ModelSpecSchema>;
export type RemoteSpec = Extract<ModelSpec, { engine: 'openai-compatible' | 'anthropic' }>;

/** Runs on the user's machine, so it costs no money: follows from the engine, never from a stored flag. */
export function runsOnDevice(spec: ModelSpec): boolean {
  return engineRunsOnDevice(spec.engine);
}

/** The actor (or the simulated user): a remote model or the in-browser one. */
export type ActorSpec = ModelSpec;

const NoCriticSpecSchema = z.object({ engine: z.literal('none') });

/** An on-device critic to load. */
export const OnDeviceCriticSpecSchema = z.discriminatedUnion('engine', [WebLLMCriticSpecSchema, TransformersConfigSchema]);
export type OnDeviceCriticSpec = z.infer<typeof OnDeviceCriticSpecSchema>;
export type WebLLMCriticSpec = z.infer<typeof WebLLMCriticSpecSchema>;

/** Every critic there is: none, remote, the loaded one, or one to load. */
export const CriticSpecSchema = z.discriminatedUnion('engine', [
  NoCriticSpecSchema,
  OpenAICompatibleSpecSchema,
  AnthropicSpecSchema,
  LoadedSpecSchema,
  WebLLMCriticSpecSchema,
  TransformersConfigSchema,
]);
export type CriticSpec = z.infer<typeof CriticSpecSchema>;

export function isRemote(spec: { engine: string }): spec is RemoteSpec {
  return spec.engine === 'openai-compatible' || spec.engine === 'anthropic';
}
