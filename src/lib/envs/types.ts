import type { ToolCall, ToolSchema } from '../types.ts';

export interface ToolResult {
  observation: string;
  /** The tool ends the episode (tau-bench's transfer_to_human_agents). */
  endsEpisode?: boolean;
}

export interface RewardInfo {
  reward: number;
  /** Why: e.g. database hash mismatch, missing outputs. */
  details?: Record<string, unknown>;
}

/** A world the actor acts in: policy, tools, tool execution, and (optionally) a reward. */
export interface Env {
  readonly id: string;
  readonly policy: string;
  readonly tools: ToolSchema[];
  execute(call: ToolCall): Promise<ToolResult> | ToolResult;
  /** Scores the finished episode; absent for environments without ground truth (policy chat). */
  reward?(agentMessages: string[]): Promise<RewardInfo> | RewardInfo;
}

export interface UserTurn {
  content: string;
  /** The user ended the conversation (tau-bench: '###STOP###'). */
  stop: boolean;
}

/** The other side of the conversation: the person at the keyboard, or a simulated user. */
export interface UserSide {
  readonly kind: 'human' | 'simulated';
  /** The user's opening message. */
  first(signal: AbortSignal): Promise<UserTurn>;
  /** The user's answer to the agent's message. */
  reply(agentMessage: string, signal: AbortSignal): Promise<UserTurn>;
}
