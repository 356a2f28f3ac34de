import type { Action, ChatMessage, ToolSchema, Usage } from '../contracts.ts';

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

/** Receives the reply's text as it streams in, per call; the loop turns it into `actor_delta` events. */
export type TextSink = (text: string) => void;

/**
 * The large model being supervised. One call, one action: when a reply holds
 * several tool calls only the first is kept, as tau-bench's agent does.
 * A streaming actor hands its text to `onText` as it arrives; others ignore it.
 */
export interface Actor {
  readonly label: string;
  propose(request: ActorRequest, signal: AbortSignal, onText?: TextSink): Promise<ActorReply>;
}
