import { z } from 'zod';
import { EpisodeEnvironmentSchema } from '../envs/environment.ts';
import { ProposalSchema, StepSchema, VerdictSchema, CriticModeSchema, FailureRuleSchema, EngineSchema, ToolCallSchema } from '../contracts.ts';

/** Describes an episode for lists, filters and training data. Never holds secrets. */
/**
 * Where a τ³ task's data was read from: this app's server, the upstream
 * repository, or a folder the person opened (which a reload forgets).
 */
export const DataSourceSchema = z.enum(['app', 'upstream', 'folder']);
export type DataSource = z.infer<typeof DataSourceSchema>;

export const EpisodeMetaSchema = z.object({
  environment: EpisodeEnvironmentSchema,
  taskIndex: z.number().int().optional(),
  taskSplit: z.string().optional(),
  runId: z.string().optional(),
  trial: z.number().int().optional(),
  configLabel: z.string().optional(),
  /** The actor's model as shown: a provider's model id, or an on-device model's label. */
  actor: z.string(),
  /** What served the actor, which prices it. Absent in traces recorded before it was kept: priced as a remote model named `actor`. */
  actorEngine: EngineSchema.optional(),
  critic: z.string().optional(),
  mode: CriticModeSchema,
  maxRevisions: z.number().int().nonnegative(),
  failureRule: FailureRuleSchema,
  userKind: z.enum(['human', 'simulated']),
  /**
   * Where a benchmark task's data was read from (τ³ in the Chat tab): this
   * app's server, the upstream repository, or a folder the person opened. A
   * resumed episode reads the same.
   */
  dataSource: DataSourceSchema.optional(),
});
export type EpisodeMeta = z.infer<typeof EpisodeMetaSchema>;

export const OutcomeSchema = z.enum(['done', 'max_steps', 'aborted', 'error']);
export type Outcome = z.infer<typeof OutcomeSchema>;

const UserEntrySchema = z.object({ type: z.literal('user'), content: z.string(), at: z.number() });

/**
 * A tool call the user made on their own side during their turn (τ³
 * telecom's phone), with what it returned, stored as it happens so that a
 * resumed episode replays it. The agent never sees it (historyFromTimeline
 * skips it); it is shown beside the user's turns, as text.
 */
const UserToolEntrySchema = z.object({ type: z.literal('user_tool'), call: ToolCallSchema, observation: z.string(), error: z.boolean(), at: z.number() });

/**
 * What the loop yields, as data. The UI state and the trace recorder consume
 * the same stream: one way for data to flow.
 */
export const LoopEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('episode_start'), episodeId: z.string(), at: z.number(), meta: EpisodeMetaSchema, policy: z.string() }),
  UserEntrySchema,
  UserToolEntrySchema,
  /** The actor's reply text as it streams in (streaming providers only): shown live, never stored. */
  z.object({ type: z.literal('actor_delta'), stepIndex: z.number().int(), attempt: z.number().int(), text: z.string() }),
  z.object({ type: z.literal('proposal'), stepIndex: z.number().int(), proposal: ProposalSchema }),
  z.object({ type: z.literal('verdict'), stepIndex: z.number().int(), attempt: z.number().int(), verdict: VerdictSchema }),
  z.object({ type: z.literal('step'), step: StepSchema }),
  /**
   * The actor call for a step failed (its retries spent), or, with side
   * 'user', the simulated user's turn leading to that step. The episode stays
   * open: the loop waits for `recover` (Retry the same call, Edit the person's
   * last message and resend, or end). Shown, never stored.
   */
  z.object({
    type: z.literal('turn_failed'),
    stepIndex: z.number().int(),
    /** Whose call failed: absent for the actor. */
    side: z.literal('user').optional(),
    error: z.string(),
    code: z.string().optional(),
    status: z.number().int().optional(),
  }),
  /** The person edited their last message after a failed turn: it replaces the last user entry (stored). */
  z.object({ type: z.literal('user_edit'), content: z.string(), at: z.number() }),
  z.object({
    type: z.literal('episode_end'),
    at: z.number(),
    outcome: OutcomeSchema,
    reward: z.number().optional(),
    rewardDetails: z.record(z.string(), z.unknown()).optional(),
    error: z.string().optional(),
  }),
]);
export type LoopEvent = z.infer<typeof LoopEventSchema>;

/** The trajectory as stored: user turns, the user's own tool calls and executed steps in order. */
export const TimelineEntrySchema = z.discriminatedUnion('type', [
  UserEntrySchema,
  UserToolEntrySchema,
  z.object({ type: z.literal('step'), step: StepSchema }),
]);
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
