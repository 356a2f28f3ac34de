/**
 * A web-llm model as the actor, for fully local episodes. web-llm's own
 * `tools` support covers only the Hermes function-calling models, so the
 * actor answers one JSON object constrained by XGrammar, and tool calls are
 * parsed from it here.
 */
import type { ChatCompletion, ChatCompletionMessageParam, ChatCompletionRequestNonStreaming } from '@mlc-ai/web-llm';
import { z } from 'zod';
import { decodingSchema, type JsonSchema } from '../decoding-schema.ts';
import { AbortedError, MalformedOutputError } from '../errors.ts';
import type { Action, ChatMessage, ToolSchema } from '../contracts.ts';
import type { Actor, ActorReply, ActorRequest } from './actor-interface.ts';

/** What the actor needs of a web-llm engine (a WebWorkerMLCEngine in the app). */
export interface ChatEngineLike {
  chat: { completions: { create(request: ChatCompletionRequestNonStreaming): Promise<ChatCompletion> } };
  interruptGenerate(): void | Promise<void>;
}

const MessageOutputSchema = z.object({ action: z.enum(['message']), content: z.string() });
const ToolCallOutputSchema = z.object({ action: z.enum(['tool_call']), name: z.string().min(1), arguments: z.record(z.string(), z.unknown()).default({}) });
const ActorOutputSchema = z.discriminatedUnion('action', [MessageOutputSchema, ToolCallOutputSchema]);

/** JSON schema for XGrammar: either a message to the user or one call of a known tool, with that tool's parameters. */
export function actorOutputSchema(tools: readonly ToolSchema[]): JsonSchema {
  const message = decodingSchema(MessageOutputSchema);
  if (tools.length === 0) return message;
  const calls = tools.map((t): JsonSchema => {
    const call = decodingSchema(ToolCallOutputSchema.extend({ name: z.enum([t.function.name]) }));
    const parameters = Object.keys(t.function.parameters).length > 0 ? t.function.parameters : { type: 'object' };
    return { ...call, properties: { ...call.properties, arguments: parameters } };
  });
  return { anyOf: [message, ...calls] };
}

let callCounter = 0;

/** Parses the actor's constrained output into an Action; throws MalformedOutputError for anything else. */
export function parseActorOutput(raw: string, tools: readonly ToolSchema[], newId: () => string = () => `call_local_${++callCounter}`): Action {
  const start = raw.indexOf('{');
  const end = raw.lastIndexOf('}');
  if (start < 0 || end < start) throw new MalformedOutputError('The local actor did not answer with a JSON object', raw);
  let value: unknown;
  try {
    value = JSON.parse(raw.slice(start, end + 1));
  } catch (err) {
    throw new MalformedOutputError(`The local actor wrote invalid JSON: ${err instanceof Error ? err.message : String(err)}`, raw);
  }
  const r = ActorOutputSchema.safeParse(value);
  if (!r.success) throw new MalformedOutputError(`The local actor's answer is not an action: ${r.error.issues[0]?.message ?? ''}`, raw);
  const out = r.data;
  if (out.action === 'message') return { kind: 'message', content: out.content };
  if (!tools.some((t) => t.function.name === out.name)) throw new MalformedOutputError(`The local actor called an unknown tool: ${out.name}`, raw);
  return { kind: 'tool_call', call: { id: newId(), name: out.name, arguments: out.arguments } };
}

function actorSystemPrompt(policy: string, tools: readonly ToolSchema[]): string {
  const list = tools.map((t) => `- ${t.function.name}: ${t.function.description ?? ''}\n  parameters: ${JSON.stringify(t.function.parameters)}`).join('\n');
  return `${policy}

# Tools
${list || '(none)'}

# How to answer
Answer with exactly one JSON object and nothing else: either
{"action": "message", "content": "<what you say to the user>"}
or
{"action": "tool_call", "name": "<tool name>", "arguments": {<arguments>}}`;
}

/** The trajectory as plain user/assistant turns (non-Hermes templates have no tool role); same-role neighbours merge. */
export function toLocalMessages(messages: readonly ChatMessage[]): Array<{ role: 'user' | 'assistant'; content: string }> {
  const out: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  const push = (role: 'user' | 'assistant', content: string) => {
    const last = out.at(-1);
    if (last && last.role === role) last.content += `\n\n${content}`;
    else out.push({ role, content });
  };
  for (const m of messages) {
    if (m.role === 'user') push('user', m.content);
    else if (m.role === 'tool') push('user', `[Result of ${m.name}] ${m.content}`);
    else {
      const call = m.toolCalls?.[0];
      push('assistant', JSON.stringify(call ? { action: 'tool_call', name: call.name, arguments: call.arguments } : { action: 'message', content: m.content }));
    }
  }
  return out;
}

export class WebLLMActor implements Actor {
  readonly label: string;
  constructor(
    private readonly engine: ChatEngineLike,
    model: string,
    private readonly maxTokens = 1024,
  ) {
    this.label = `webllm:${model}`;
  }

  async propose(request: ActorRequest, signal: AbortSignal): Promise<ActorReply> {
    if (signal.aborted) throw new AbortedError();
    const started = performance.now();
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: actorSystemPrompt(request.system, request.tools) },
      ...toLocalMessages(request.messages),
    ];
    const onAbort = () => void this.engine.interruptGenerate();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = await this.engine.chat.completions.create({
        messages,
        stream: false,
        temperature: 0,
        max_tokens: this.maxTokens,
        response_format: { type: 'json_object', schema: JSON.stringify(actorOutputSchema(request.tools)) },
      });
      if (signal.aborted) throw new AbortedError();
      const action = parseActorOutput(reply.choices[0]?.message.content ?? '', request.tools);
      return {
        action,
        latencyMs: performance.now() - started,
        ...(reply.usage ? { usage: { promptTokens: reply.usage.prompt_tokens, completionTokens: reply.usage.completion_tokens } } : {}),
      };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
