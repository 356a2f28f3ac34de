import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { MalformedOutputError } from '../errors.ts';
import type { Action, ChatMessage, ToolCall } from '../types.ts';
import type { OpenAIClientOptions } from './openai.ts';
import type { ProviderConfig } from './provider.ts';
import { DEFAULT_RETRY, withRetry } from './retry.ts';
import type { Actor, ActorReply, ActorRequest } from './types.ts';

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

type Block = Anthropic.Messages.ContentBlockParam;
type WireMessage = { role: 'user' | 'assistant'; content: Block[] };

/** Anthropic wants alternating roles and tool results inside user turns: merge neighbours of one role. */
export function toAnthropicMessages(messages: ChatMessage[]): WireMessage[] {
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

  async propose(req: ActorRequest, signal: AbortSignal): Promise<ActorReply> {
    const started = performance.now();
    const result = await withRetry((s) => this.#once(req, s), this.opts.retry ?? DEFAULT_RETRY, signal, this.opts.onRetry);
    return { ...result, latencyMs: performance.now() - started };
  }

  async #once(req: ActorRequest, signal: AbortSignal): Promise<Omit<ActorReply, 'latencyMs'>> {
    // Recent Anthropic models fix their own sampling: this SDK no longer takes temperature.
    const raw: unknown = await this.#client.messages.create(
      {
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
            }
          : {}),
      },
      { signal },
    );
    const parsed = ReplySchema.safeParse(raw);
    if (!parsed.success) throw new MalformedOutputError('Unexpected reply shape from Anthropic', JSON.stringify(raw).slice(0, 500));
    let text = '';
    let call: ToolCall | undefined;
    for (const b of parsed.data.content) {
      if (b.type === 'text') text += b.text;
      else if (b.type === 'tool_use' && !call) call = { id: b.id, name: b.name, arguments: b.input };
    }
    const action: Action = call ? (text ? { kind: 'tool_call', call, content: text } : { kind: 'tool_call', call }) : { kind: 'message', content: text };
    const u = parsed.data.usage;
    return { action, ...(u ? { usage: { promptTokens: u.input_tokens, completionTokens: u.output_tokens } } : {}) };
  }
}
