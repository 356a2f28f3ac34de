/**
 * The core contracts every part of Spotter speaks: messages, actions, verdicts,
 * steps. Each type is derived from its zod schema so that data entering from
 * outside (API replies, IndexedDB, imported files, worker messages) is
 * validated once, where it enters, against the same definition.
 */
import { z } from 'zod';

/** A tool as exposed to the actor, in OpenAI function format (tau-bench's tools.json). */
export const ToolSchemaSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()),
  }),
});
export type ToolSchema = z.infer<typeof ToolSchemaSchema>;

export const ToolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Parsed arguments; key order is preserved as the model wrote it. */
  arguments: z.record(z.string(), z.unknown()),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

/** What the actor proposes: run one tool, or say something to the user. */
export const ActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tool_call'), call: ToolCallSchema, content: z.string().optional() }),
  z.object({ kind: z.literal('message'), content: z.string() }),
]);
export type Action = z.infer<typeof ActionSchema>;

/** Provider-neutral chat messages; each actor client maps them to its API. */
export const ChatMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('user'), content: z.string() }),
  z.object({
    role: z.literal('assistant'),
    content: z.string(),
    toolCalls: z.array(ToolCallSchema).optional(),
  }),
  z.object({ role: z.literal('tool'), toolCallId: z.string(), name: z.string(), content: z.string() }),
]);
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const UsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof UsageSchema>;

/**
 * What serves a model: the API styles of remote models, the on-device engines,
 * and 'local' (the on-device model already loaded in this browser, whichever
 * engine). The one vocabulary of engines, used by settings, specs, verdicts,
 * engines, exam results and prices.
 */
export const EngineSchema = /* @__PURE__ */ z.enum(['openai-compatible', 'anthropic', 'webllm', 'transformers', 'local']);
export type Engine = z.infer<typeof EngineSchema>;
export const RemoteEngineSchema = /* @__PURE__ */ EngineSchema.extract(['openai-compatible', 'anthropic']);
export type RemoteEngine = z.infer<typeof RemoteEngineSchema>;
export const OnDeviceEngineKindSchema = /* @__PURE__ */ EngineSchema.extract(['transformers', 'webllm']);
export type OnDeviceEngineKind = z.infer<typeof OnDeviceEngineKindSchema>;
/** What an actor, a simulated user or a ready critic runs on: a remote API, or the model loaded in this browser. */
export const ModelEngineSchema = /* @__PURE__ */ EngineSchema.extract(['openai-compatible', 'anthropic', 'local']);
export type ModelEngine = z.infer<typeof ModelEngineSchema>;

/** Runs on the user's machine, so it costs no money: follows from the engine, never from a label or a stored flag. */
export function engineRunsOnDevice(engine: Engine): boolean {
  return !RemoteEngineSchema.safeParse(engine).success;
}

/**
 * An engine as records of earlier versions stored it: verdicts in traces
 * (up to version 3), exam results (version 1) and the Critic tab's choice said
 * 'remote' for any provider endpoint, without its API style. It reads as
 * 'openai-compatible', which is priced the same way (by model); any other
 * value is left for the schema to judge.
 */
export function engineFromLegacy(value: unknown): unknown {
  return value === 'remote' ? 'openai-compatible' : value;
}
/** The engine of a record that may predate the one vocabulary (engineFromLegacy). */
export const StoredEngineSchema = /* @__PURE__ */ z.preprocess(engineFromLegacy, EngineSchema);

/**
 * A critic's judgement. `unparsed` (model output was not a valid verdict) and
 * `error` (the critic failed: network, timeout, crash) are recorded as such,
 * never hidden; the loop's failure rule decides what they mean.
 */
export const VerdictSchema = z.object({
  decision: z.enum(['approve', 'revise', 'unparsed', 'error']),
  feedback: z.string().optional(),
  category: z.string().optional(),
  /** Raw model output, kept for unparsed verdicts and training-data review. */
  raw: z.string().optional(),
  error: z.string().optional(),
  /** Why an `error` verdict failed, when known: 'context-overflow', 'timeout', or an engine/provider error code. */
  errorCode: z.string().optional(),
  latencyMs: z.number().nonnegative(),
  usage: UsageSchema.optional(),
  /** The critic's display label; what ran is in `engine` and `model`. */
  critic: z.string(),
  /** Where the critic ran: a remote API (priced per token) or an engine in the browser (free). Absent: unknown (a double, an error verdict). */
  engine: EngineSchema.optional(),
  /** The model that judged, as the engine names it (a price-table key for a remote critic). */
  model: z.string().optional(),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export const CriticModeSchema = z.enum(['off', 'monitor', 'intervene']);
export type CriticMode = z.infer<typeof CriticModeSchema>;

export const FailureRuleSchema = z.enum(['fail-open', 'fail-closed']);
export type FailureRule = z.infer<typeof FailureRuleSchema>;

/** One proposal of the actor within a step, with the critic's verdict on it (none in `off` mode). */
export const ProposalSchema = z.object({
  attempt: z.number().int().nonnegative(),
  action: ActionSchema,
  usage: UsageSchema.optional(),
  latencyMs: z.number().nonnegative(),
  verdict: VerdictSchema.optional(),
});
export type Proposal = z.infer<typeof ProposalSchema>;

/** One executed actor action, with every proposal that led to it. */
export const StepSchema = z.object({
  index: z.number().int().nonnegative(),
  proposals: z.array(ProposalSchema).min(1),
  executed: ActionSchema,
  /** True when the critic still objected after K revisions and the last proposal ran anyway. */
  flagged: z.boolean(),
  /** Tool observation (tool calls) or null (messages). */
  observation: z.string().nullable(),
  /** The user's reply to a message step, when there was one. */
  userReply: z.string().optional(),
  /** The environment's reward for this step, when it scores every turn (UserBench). */
  reward: z.number().optional(),
  /** What the environment recorded about this step (UserBench: judge outputs, elicited preferences, answer verdicts). */
  envInfo: z.record(z.string(), z.unknown()).optional(),
  startedAt: z.number(),
  endedAt: z.number(),
});
export type Step = z.infer<typeof StepSchema>;
