import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { MalformedOutputError } from '../errors.ts';
import type { Action, ChatMessage, ToolCall } from '../contracts.ts';
import { parseArguments, type OpenAIClientOptions } from './openai.ts';
import type { ProviderConfig } from './provider.ts';
import { timedWithRetry } from './retry.ts';
import type { Actor, ActorReply, ActorRequest, TextSink } from './actor-interface.ts';

const ReplySchema = z.object({
  content: z.array(
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('text'), text: z.string() }),
      z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) }),
      z.object({ type: z.literal('thinking') }).passthrough(),
      z.object({ type: z.literal('redacted_thinking') }).passthrough(),
    ]),
  ),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).nullish(),
});

/** The stream events we read; others (pings, thinking) are skipped before validation. */
const StreamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message_start'), message: z.object({ usage: z.object({ input_tokens: z.number() }).nullish() }) }),
  z.object({
    type: z.literal('content_block_start'),
    index: z.number(),
    content_block: z.object({ type: z.string(), id: z.string().optional(), name: z.string().optional() }),
  }),
  z.object({
    type: z.literal('content_block_delta'),
    index: z.number(),
    delta: z.object({ type: z.string(), text: z.string().optional(), partial_json: z.string().optional() }),
  }),
  z.object({ type: z.literal('message_delta'), usage: z.object({ output_tokens: z.number() }).nullish() }),
  z.object({ type: z.literal('message_stop') }),
]);
const STREAM_EVENT_TYPES: ReadonlySet<unknown> = new Set(StreamEventSchema.options.map((o) => o.shape.type.value));

type Block = Anthropic.Messages.ContentBlockParam;
type WireMessage = { role: 'user' | 'assistant'; content: Block[] };

/** Anthropic wants alternating roles and tool results inside user turns: merge neighbours of one role. */
function toAnthropicMessages(messages: ChatMessage[]): WireMessage[] {
  const out: WireMessage[] = [];
  const push = (role: WireMessage['role'], blocks: Block[]) => {
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    if (m.role === 'user') push('user', [{ type: 'text', text: m.content || '(empty)' }]);
    else if (m.role === 'tool') push('user', [{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content }]);
    else {
      const blocks: Block[] = m.content ? [{ type: 'text', text: m.content }] : [];
      for (const c of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments });
      push('assistant', blocks.length ? blocks : [{ type: 'text', text: '(empty)' }]);
    }
  }
  return out;
}

export class AnthropicActor implements Actor {
  readonly label: string;
  readonly #client: Anthropic;

  constructor(
    private readonly cfg: ProviderConfig,
    private readonly opts: OpenAIClientOptions = {},
  ) {
    this.label = cfg.model;
    this.#client = new Anthropic({
      apiKey: cfg.apiKey || 'no-key',
      baseURL: cfg.baseUrl,
      dangerouslyAllowBrowser: true,
      maxRetries: 0,
      timeout: 24 * 3600_000,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
  }

  async propose(req: ActorRequest, signal: AbortSignal, onText?: TextSink): Promise<ActorReply> {
    return timedWithRetry((s) => this.#once(req, s, onText), this.opts, signal, this.cfg.apiKey);
  }

  async #once(req: ActorRequest, signal: AbortSignal, onText: TextSink | undefined): Promise<Omit<ActorReply, 'latencyMs'>> {
    // Recent Anthropic models fix their own sampling: this SDK no longer takes temperature.
    const body = {
      model: this.cfg.model,
      max_tokens: this.cfg.maxTokens,
      ...(req.system ? { system: req.system } : {}),
      messages: toAnthropicMessages(req.messages),
      ...(req.tools.length
        ? {
            tools: req.tools.map((t) => ({
              name: t.function.name,
              description: t.function.description ?? '',
              input_schema: { type: 'object' as const, ...t.function.parameters },
            })),
            ...(req.toolChoice === 'required' ? { tool_choice: { type: 'any' as const } } : {}),
          }
        : {}),
    };
    if (this.cfg.stream) return this.#streamed(body, signal, onText);
    const raw: unknown = await this.#client.messages.create(body, { signal });
    const parsed = ReplySchema.safeParse(raw);
    if (!parsed.success) throw new MalformedOutputError('Unexpected reply shape from Anthropic', JSON.stringify(raw).slice(0, 500));
    let text = '';
    let call: ToolCall | undefined;
    for (const b of parsed.data.content) {
      if (b.type === 'text') text += b.text;
      else if (b.type === 'tool_use' && !call) call = { id: b.id, name: b.name, arguments: b.input };
    }
    const u = parsed.data.usage;
    return { action: toAction(text, call), ...(u ? { usage: { promptTokens: u.input_tokens, completionTokens: u.output_tokens } } : {}) };
  }

  /** Streams text deltas to onText; tool input arrives as JSON fragments, parsed once the block ends. */
  async #streamed(body: Anthropic.Messages.MessageCreateParamsNonStreaming, signal: AbortSignal, onText: TextSink | undefined): Promise<Omit<ActorReply, 'latencyMs'>> {
    const stream = await this.#client.messages.create({ ...body, stream: true }, { signal });
    let text = '';
    let promptTokens = 0;
    let completionTokens = 0;
    let finished = false;
    const tools: Array<{ id: string; name: string; json: string }> = [];
    const blocks = new Map<number, { id: string; name: string; json: string }>();
    for await (const raw of stream) {
      const type: unknown = typeof raw === 'object' && raw !== null && 'type' in raw ? raw.type : undefined;
      if (!STREAM_EVENT_TYPES.has(type)) continue;
      const ev = StreamEventSchema.safeParse(raw);
      if (!ev.success) throw new MalformedOutputError('Unexpected stream event from Anthropic', JSON.stringify(raw).slice(0, 500));
      const e = ev.data;
      if (e.type === 'message_start') promptTokens = e.message.usage?.input_tokens ?? 0;
      else if (e.type === 'content_block_start' && e.content_block.type === 'tool_use') {
        const slot = { id: e.content_block.id ?? '', name: e.content_block.name ?? '', json: '' };
        blocks.set(e.index, slot);
        tools.push(slot);
      } else if (e.type === 'content_block_delta') {
        if (e.delta.type === 'text_delta' && e.delta.text) {
          text += e.delta.text;
          onText?.(e.delta.text);
        } else if (e.delta.type === 'input_json_delta' && e.delta.partial_json) {
          const slot = blocks.get(e.index);
          if (slot) slot.json += e.delta.partial_json;
        }
      } else if (e.type === 'message_delta') completionTokens = e.usage?.output_tokens ?? completionTokens;
      else if (e.type === 'message_stop') finished = true;
    }
    // A stream that ends without message_stop was cut: retry rather than act on half a reply.
    if (!finished) throw new MalformedOutputError('The reply stream ended before the model finished', text);
    const first = tools[0];
    const call = first ? { id: first.id, name: first.name, arguments: parseArguments(first.name, first.json) } : undefined;
    return { action: toAction(text, call), usage: { promptTokens, completionTokens } };
  }
}

function toAction(text: string, call: ToolCall | undefined): Action {
  if (!call) return { kind: 'message', content: text };
  return text ? { kind: 'tool_call', call, content: text } : { kind: 'tool_call', call };
}
