import { z } from 'zod';
import { ActionSchema, ChatMessageSchema, ToolSchemaSchema, type Verdict } from '../contracts.ts';

/** Everything the critic sees at one decision point: exactly this becomes a training example's (and an exam item's) input. */
export const CriticInputSchema = z.object({
  policy: z.string(),
  tools: z.array(ToolSchemaSchema),
  /** The trajectory before the proposal (no system message; the policy is separate). */
  history: z.array(ChatMessageSchema),
  proposal: ActionSchema,
  /** Earlier rejected proposals and feedback within this step, oldest first. */
  previousAttempts: z.array(z.object({ action: ActionSchema, feedback: z.string() })),
});
export type CriticInput = z.infer<typeof CriticInputSchema>;

/**
 * The small model that judges each action before it takes effect. Every engine
 * (remote endpoint, web-llm worker, transformers.js worker) implements this.
 * `judge` never throws for model-output problems: it returns an `unparsed` verdict.
 * It may throw for infrastructure failures; the loop records those as `error`.
 */
export interface Critic {
  readonly label: string;
  /** Tokens the critic's prompt and verdict may take, when it keeps to a window (recorded with benchmark runs). */
  readonly contextWindow?: number | undefined;
  judge(input: CriticInput, signal: AbortSignal): Promise<Verdict>;
  /**
   * Optional: start computing the prompt up to the proposal (everything but
   * the proposal is known while the actor still writes it). The loop calls
   * it before asking the actor and aborts it with the episode; it must not
   * change any prompt or verdict, only make the next judge faster.
   */
  prepare?(input: Omit<CriticInput, 'proposal'>, signal: AbortSignal): Promise<void>;
  /**
   * Optional: forget the critic chat kept between verdicts (the incremental
   * prompt style extends one chat while the history extends), so the next
   * verdict starts a fresh chat, as at an episode's first decision. The exam
   * calls it before each item: items are independent decisions, and a verdict
   * must not depend on which items were graded before it.
   */
  forget?(): Promise<void>;
}
