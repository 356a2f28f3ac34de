import OpenAI from 'openai';
import { z } from 'zod';
import { MalformedOutputError } from '../errors.ts';
import type { Action, ChatMessage, ToolCall, ToolSchema, Usage } from '../contracts.ts';
import type { ProviderConfig } from './provider.ts';
import { timedWithRetry, type AttemptInfo, type RetryPolicy } from './retry.ts';
import type { Actor, ActorReply, ActorRequest, TextSink } from './actor-interface.ts';

/** The parts of a chat completion we read, validated where the reply enters. */
const CompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          tool_calls: z
            .array(
              z.object({
                id: z.string(),
                type: z.string().optional(),
                function: z.object({ name: z.string(), arguments: z.string() }),
              }),
            )
            .nullish(),
        }),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

const ChunkSchema = z.object({
  choices: z
    .array(
      z.object({
        delta: z
          .object({
            content: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number(),
                  id: z.string().nullish(),
                  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .default([]),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

type WireMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

function toOpenAIMessages(system: string, messages: ChatMessage[]): WireMessage[] {
  const out: WireMessage[] = system ? [{ role: 'system', content: system }] : [];
  for (const m of messages) {
    if (m.role === 'user') out.push({ role: 'user', content: m.content });
    else if (m.role === 'tool') out.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content });
    else if (m.toolCalls?.length) {
      out.push({
        role: 'assistant',
        content: m.content || null,
        tool_calls: m.toolCalls.map((c) => ({
          id: c.id,
          type: 'function' as const,
          function: { name: c.name, arguments: JSON.stringify(c.arguments) },
        })),
      });
    } else out.push({ role: 'assistant', content: m.content });
  }
  return out;
}

/** Parses tool-call arguments the model wrote; anything but a JSON object is malformed output. */
export function parseArguments(name: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch {
    throw new MalformedOutputError(`The model's arguments for ${name} are not valid JSON`, text);
  }
  const r = z.record(z.string(), z.unknown()).safeParse(value);
  if (!r.success) throw new MalformedOutputError(`The model's arguments for ${name} are not a JSON object`, text);
  return r.data;
}

/** One action from a reply: the first tool call if any (tau-bench executes only that), else the message. */
function actionFrom(content: string, calls: Array<{ id: string; name: string; arguments: string }>): Action {
  const first = calls[0];
  if (!first) return { kind: 'message', content };
  const call: ToolCall = { id: first.id, name: first.name, arguments: parseArguments(first.name, first.arguments) };
  return content ? { kind: 'tool_call', call, content } : { kind: 'tool_call', call };
}

function usageFrom(u: { prompt_tokens: number; completion_tokens: number } | null | undefined): Usage | undefined {
  return u ? { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens } : undefined;
}

export interface OpenAIClientOptions {
  retry?: RetryPolicy;
  onRetry?: (info: AttemptInfo) => void;
  /** Injected for tests under Node; the browser's fetch otherwise. */
  fetch?: typeof fetch;
}

function makeOpenAIClient(cfg: ProviderConfig, fetchImpl?: typeof fetch): OpenAI {
  return new OpenAI({
    apiKey: cfg.apiKey || 'no-key',
    baseURL: cfg.baseUrl,
    // The user's own key, called from the user's own browser: that is the product.
    dangerouslyAllowBrowser: true,
    // Retries and timeouts are ours (withRetry), uniform across providers.
    maxRetries: 0,
    timeout: 24 * 3600_000,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

/** An actor behind any OpenAI-compatible endpoint: OpenAI, OpenRouter, Groq, Together, vLLM, Ollama. */
export class OpenAICompatibleActor implements Actor {
  readonly label: string;
  readonly #client: OpenAI;

  constructor(
    private readonly cfg: ProviderConfig,
    private readonly opts: OpenAIClientOptions = {},
  ) {
    this.label = cfg.model;
    this.#client = makeOpenAIClient(cfg, opts.fetch);
  }

  async propose(req: ActorRequest, signal: AbortSignal, onText?: TextSink): Promise<ActorReply> {
    return timedWithRetry((s) => this.#once(req, s, onText), this.opts, signal, this.cfg.apiKey);
  }

  async #once(req: ActorRequest, signal: AbortSignal, onText: TextSink | undefined): Promise<Omit<ActorReply, 'latencyMs'>> {
    const body = {
      model: this.cfg.model,
      messages: toOpenAIMessages(req.system, req.messages),
      temperature: this.cfg.temperature,
      max_tokens: this.cfg.maxTokens,
      ...(req.tools.length ? { tools: req.tools satisfies ToolSchema[], ...(req.toolChoice ? { tool_choice: req.toolChoice } : {}) } : {}),
    };
    if (!this.cfg.stream) {
      const raw: unknown = await this.#client.chat.completions.create(body, { signal });
      const parsed = CompletionSchema.safeParse(raw);
      if (!parsed.success) throw new MalformedOutputError('Unexpected reply shape from the provider', JSON.stringify(raw).slice(0, 500));
      const choice = parsed.data.choices[0];
      const msg = choice?.message;
      const calls = (msg?.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }));
      const usage = usageFrom(parsed.data.usage);
      return { action: actionFrom(msg?.content ?? '', calls), ...(usage ? { usage } : {}) };
    }
    const stream = await this.#client.chat.completions.create(
      { ...body, stream: true, stream_options: { include_usage: true } },
      { signal },
    );
    let content = '';
    let finished = false;
    let usage: Usage | undefined;
    const calls: Array<{ id: string; name: string; arguments: string }> = [];
    for await (const rawChunk of stream) {
      const chunk = ChunkSchema.safeParse(rawChunk);
      if (!chunk.success) throw new MalformedOutputError('Unexpected stream chunk from the provider', JSON.stringify(rawChunk).slice(0, 500));
      usage = usageFrom(chunk.data.usage) ?? usage;
      for (const choice of chunk.data.choices) {
        if (choice.finish_reason) finished = true;
        const delta = choice.delta;
        if (delta?.content) {
          content += delta.content;
          onText?.(delta.content);
        }
        for (const tc of delta?.tool_calls ?? []) {
          const slot = (calls[tc.index] ??= { id: '', name: '', arguments: '' });
          if (tc.id) slot.id = tc.id;
          if (tc.function?.name) slot.name += tc.function.name;
          if (tc.function?.arguments) slot.arguments += tc.function.arguments;
        }
      }
    }
    // A stream that ends without a finish reason was cut: retry rather than act on half a reply.
    if (!finished) throw new MalformedOutputError('The reply stream ended before the model finished', content);
    return { action: actionFrom(content, calls.filter(Boolean)), ...(usage ? { usage } : {}) };
  }
}
