import type { ToolCall, ToolSchema } from '../contracts.ts';

export interface ToolResult {
  observation: string;
  /** The tool ends the episode (tau-bench's transfer_to_human_agents). */
  endsEpisode?: boolean;
  /** A per-step reward, for environments that score every turn (UserBench). */
  reward?: number;
  /** What the environment wants kept with the step (UserBench: the judge's raw outputs, elicited preferences). */
  info?: Record<string, unknown>;
}

export interface RewardInfo {
  /** Absent: the episode could not be scored as asked (τ³: its basis needs an NL judge and none is configured), never a silent pass. */
  reward?: number;
  /** Why: e.g. database hash mismatch, missing outputs. */
  details?: Record<string, unknown>;
}

/** A world the actor acts in: policy, tools, tool execution, and (optionally) a reward. */
export interface Env {
  readonly id: string;
  readonly policy: string;
  readonly tools: ToolSchema[];
  /** 'required': the actor must call a tool every turn (UserBench's eval.py sends tool_choice "required"). */
  readonly toolChoice?: 'required';
  /** `signal` aborts a slow execution (UserBench calls LLM judges). */
  execute(call: ToolCall, signal?: AbortSignal): Promise<ToolResult> | ToolResult;
  /** Scores the finished episode; absent for environments without ground truth (policy chat). */
  reward?(agentMessages: string[]): Promise<RewardInfo> | RewardInfo;
}

export interface UserTurn {
  content: string;
  /** The user ended the conversation (tau-bench: '###STOP###'). */
  stop: boolean;
}

/** A tool call the user made on their own side (τ³ telecom's phone), with what it returned. */
export interface UserToolUse {
  call: ToolCall;
  observation: string;
  error: boolean;
}

/** Told with each tool call of the user's as it runs: the loop stores it in the timeline then and there. */
export type OnUserTool = (use: UserToolUse) => void;

/** What a resumed episode's user side is told of the conversation before the reload, in order. */
export type PastTurn = { kind: 'agent'; content: string } | { kind: 'user'; content: string } | ({ kind: 'user_tool' } & UserToolUse);

/** The other side of the conversation: the person at the keyboard, or a simulated user. */
export interface UserSide {
  readonly kind: 'human' | 'simulated';
  /**
   * `first` and `reply` may be called again, with the same message, after
   * they threw: nothing of the failed call was kept. The chat then offers
   * Retry for a failed turn of this user; without it a failure ends the episode.
   */
  readonly retrySafe?: boolean;
  /** The user's opening message; `onTool` hears each tool call the user makes on their side during the turn. */
  first(signal: AbortSignal, onTool?: OnUserTool): Promise<UserTurn>;
  /** The user's answer to the agent's message. */
  reply(agentMessage: string, signal: AbortSignal, onTool?: OnUserTool): Promise<UserTurn>;
  /**
   * A resumed episode: the conversation before the reload, one entry at a
   * time in the order it happened, interleaved with the agent's tool calls
   * (which the loop replays on the Env), before the loop goes on. A user side
   * with state of its own (τ³: the trajectory and the user's database)
   * rebuilds it here; the agent's message the loop then asks a reply to has
   * already been told here.
   */
  replay?(past: PastTurn): void;
}
