import type { Action, ChatMessage, ToolSchema, Usage } from '../types.ts';

/** What an actor is asked: the policy as system prompt, the trajectory so far, the tools it may call. */
export interface ActorRequest {
  system: string;
  messages: ChatMessage[];
  tools: ToolSchema[];
  /** 'required': the model must call one of the tools (OpenAI tool_choice "required", Anthropic {type: "any"}). */
  toolChoice?: 'required';
}

export interface ActorReply {
  action: Action;
  usage?: Usage;
  latencyMs: number;
}

/**
 * The large model being supervised. One call, one action: when a reply holds
 * several tool calls only the first is kept, as tau-bench's agent does.
 */
export interface Actor {
  readonly label: string;
  propose(request: ActorRequest, signal: AbortSignal): Promise<ActorReply>;
}
