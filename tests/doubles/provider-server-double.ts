/**
 * ProviderServerDouble: a local HTTP server that stands in for the remote LLM
 * providers (which tests cannot reach). It speaks the OpenAI chat-completions
 * protocol (plain and streaming) and Anthropic's messages protocol, serves
 * scripted replies per model name, and scripted faults: 429, 500, a hang, a
 * cut or stalled stream, a malformed body, a 401 that echoes the key it was sent. The
 * app's real SDK code talks to it over HTTP.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptedReply =
  | { kind: 'message'; content: string }
  | { kind: 'tool_call'; name: string; arguments: Record<string, unknown> | string; id?: string }
  | { kind: 'status'; status: number; retryAfterS?: number; message?: string }
  /** Never answers (until the client gives up). */
  | { kind: 'hang' }
  /** Streaming only: sends part of the reply, then drops the connection. */
  | { kind: 'cut'; content: string }
  /** Streaming: sends part of the reply, then holds the connection open, unfinished, until the client gives up (plain: a hang). */
  | { kind: 'stall'; content: string }
  | { kind: 'raw'; body: string }
  /**
   * A 401 that repeats the key the request carried, as some providers do:
   * `full` ("Incorrect API key provided: <key>"), `prefix` (its first 12
   * characters, the rest starred), `json` (the key as a field of the error
   * object, which the SDKs then print as JSON).
   */
  | { kind: 'echo-key'; echo: 'full' | 'prefix' | 'json' }
  /** Waits `ms`, then serves `then` (a slow provider: time for the person to scroll, type or press Stop). */
  | { kind: 'delay'; ms: number; then: ScriptedReply };

export interface RecordedRequest {
  path: string;
  model: string;
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  at: number;
}

/** Decides the reply to a request; scripts fall back to it when their queue is empty. */
export type Responder = (req: RecordedRequest) => ScriptedReply;

let callSeq = 0;

export class ProviderServerDouble {
  readonly requests: RecordedRequest[] = [];
  #queues = new Map<string, ScriptedReply[]>();
  #responders = new Map<string, Responder>();
  #server: Server | undefined;
  #hanging = new Set<ServerResponse>();
  url = '';

  /** Queue replies for a model, served in order. */
  script(model: string, ...replies: ScriptedReply[]): this {
    const q = this.#queues.get(model) ?? [];
    q.push(...replies);
    this.#queues.set(model, q);
    return this;
  }

  /** A reply function for a model, used when its queue is empty. */
  respond(model: string, responder: Responder): this {
    this.#responders.set(model, responder);
    return this;
  }

  reset(): void {
    this.#queues.clear();
    this.#responders.clear();
    this.requests.length = 0;
  }

  pending(model: string): number {
    return this.#queues.get(model)?.length ?? 0;
  }

  async start(port = 0): Promise<string> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server?.listen(port, '127.0.0.1', resolve));
    const addr = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${addr.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.#hanging.clear();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', '*');
    res.setHeader('Access-Control-Allow-Methods', 'POST, GET, OPTIONS');
    res.setHeader('Access-Control-Expose-Headers', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      res.writeHead(400).end('bad json');
      return;
    }
    const path = (req.url ?? '').split('?')[0] ?? '';
    const model = typeof body.model === 'string' ? body.model : '';
    const rec: RecordedRequest = { path, model, body, headers: req.headers, at: Date.now() };
    this.requests.push(rec);
    let reply = this.#queues.get(model)?.shift() ?? this.#responders.get(model)?.(rec) ?? {
      kind: 'status',
      status: 500,
      message: `ProviderServerDouble: no scripted reply for model "${model}"`,
    };
    while (reply.kind === 'delay') {
      const { ms, then } = reply;
      await new Promise((resolve) => setTimeout(resolve, ms));
      reply = then;
    }
    if (path.endsWith('/chat/completions')) this.#openai(reply, rec, res);
    else if (path.endsWith('/messages')) this.#anthropic(reply, rec, res);
    else res.writeHead(404).end(`unknown path ${path}`);
  }

  #fault(reply: ScriptedReply, req: RecordedRequest, res: ServerResponse): boolean {
    if (reply.kind === 'status') {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (reply.retryAfterS !== undefined) headers['Retry-After'] = String(reply.retryAfterS);
      res.writeHead(reply.status, headers).end(JSON.stringify({ error: { message: reply.message ?? `scripted ${reply.status}`, type: 'scripted' } }));
      return true;
    }
    if (reply.kind === 'echo-key') {
      const key = sentKey(req);
      const error =
        reply.echo === 'json'
          ? { type: 'authentication_error', code: 'invalid_api_key', details: { api_key: key, hint: 'rotate it' } }
          : {
              type: 'invalid_request_error',
              code: 'invalid_api_key',
              message: `Incorrect API key provided: ${reply.echo === 'full' ? key : `${key.slice(0, 12)}${'*'.repeat(12)}${key.slice(-4)}`}. You can find your API key in your account settings.`,
            };
      res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error }));
      return true;
    }
    if (reply.kind === 'hang' || (reply.kind === 'stall' && req.body.stream !== true)) {
      this.#hold(res);
      return true;
    }
    if (reply.kind === 'raw') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(reply.body);
      return true;
    }
    return false;
  }

  /** Keeps a response open until the client drops it (or the server stops). */
  #hold(res: ServerResponse): void {
    this.#hanging.add(res);
    res.on('close', () => this.#hanging.delete(res));
  }

  /** A `cut` reply drops the connection halfway through its text, a `stall` one holds it open: true when it did either. */
  #stopsHalfway(reply: ScriptedReply, res: ServerResponse): boolean {
    if (reply.kind === 'cut') res.destroy();
    else if (reply.kind === 'stall') this.#hold(res);
    else return false;
    return true;
  }

  #openai(reply: ScriptedReply, req: RecordedRequest, res: ServerResponse): void {
    const stream = req.body.stream === true;
    if (this.#fault(reply, req, res)) return;
    const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
    const id = `chatcmpl-${++callSeq}`;
    const toolCall =
      reply.kind === 'tool_call'
        ? {
            id: reply.id ?? `call_${callSeq}`,
            type: 'function',
            function: {
              name: reply.name,
              arguments: typeof reply.arguments === 'string' ? reply.arguments : JSON.stringify(reply.arguments),
            },
          }
        : undefined;
    const content = reply.kind === 'message' || reply.kind === 'cut' || reply.kind === 'stall' ? reply.content : null;
    if (!stream) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created: 0,
          model: 'double',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content, ...(toolCall ? { tool_calls: [toolCall] } : {}) },
              finish_reason: toolCall ? 'tool_calls' : 'stop',
            },
          ],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const send = (obj: unknown) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
    const chunk = (delta: unknown, finish: string | null = null) =>
      send({ id, object: 'chat.completion.chunk', created: 0, model: 'double', choices: [{ index: 0, delta, finish_reason: finish }] });
    chunk({ role: 'assistant' });
    if (content) {
      const half = Math.ceil(content.length / 2);
      chunk({ content: content.slice(0, half) });
      if (this.#stopsHalfway(reply, res)) return;
      chunk({ content: content.slice(half) });
    }
    if (toolCall) {
      const args = toolCall.function.arguments;
      chunk({ tool_calls: [{ index: 0, id: toolCall.id, type: 'function', function: { name: toolCall.function.name, arguments: '' } }] });
      chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, 5) } }] });
      chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(5) } }] });
    }
    chunk({}, toolCall ? 'tool_calls' : 'stop');
    send({ id, object: 'chat.completion.chunk', created: 0, model: 'double', choices: [], usage });
    res.end('data: [DONE]\n\n');
  }

  #anthropic(reply: ScriptedReply, req: RecordedRequest, res: ServerResponse): void {
    const stream = req.body.stream === true;
    if (this.#fault(reply, req, res)) return;
    if (stream) {
      this.#anthropicStream(reply, res);
      return;
    }
    const content: unknown[] = [];
    if (reply.kind === 'message' || reply.kind === 'cut' || reply.kind === 'stall') content.push({ type: 'text', text: reply.content });
    if (reply.kind === 'tool_call') {
      content.push({
        type: 'tool_use',
        id: reply.id ?? `toolu_${++callSeq}`,
        name: reply.name,
        input: typeof reply.arguments === 'string' ? JSON.parse(reply.arguments) : reply.arguments,
      });
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({
        id: `msg_${++callSeq}`,
        type: 'message',
        role: 'assistant',
        model: 'double',
        content,
        stop_reason: reply.kind === 'tool_call' ? 'tool_use' : 'end_turn',
        usage: { input_tokens: 13, output_tokens: 5 },
      }),
    );
  }

  /** Anthropic's server-sent events: message_start, content blocks with deltas, message_delta, message_stop. */
  #anthropicStream(reply: ScriptedReply, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const send = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    send('message_start', {
      message: { id: `msg_${++callSeq}`, type: 'message', role: 'assistant', model: 'double', content: [], stop_reason: null, usage: { input_tokens: 13, output_tokens: 0 } },
    });
    send('ping', {});
    let index = 0;
    if (reply.kind === 'message' || reply.kind === 'cut' || reply.kind === 'stall') {
      const half = Math.ceil(reply.content.length / 2);
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { index, delta: { type: 'text_delta', text: reply.content.slice(0, half) } });
      if (this.#stopsHalfway(reply, res)) return;
      send('content_block_delta', { index, delta: { type: 'text_delta', text: reply.content.slice(half) } });
      send('content_block_stop', { index });
      index++;
    }
    if (reply.kind === 'tool_call') {
      const json = typeof reply.arguments === 'string' ? reply.arguments : JSON.stringify(reply.arguments);
      send('content_block_start', { index, content_block: { type: 'tool_use', id: reply.id ?? `toolu_${++callSeq}`, name: reply.name, input: {} } });
      send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(0, 4) } });
      send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(4) } });
      send('content_block_stop', { index });
    }
    send('message_delta', { delta: { stop_reason: reply.kind === 'tool_call' ? 'tool_use' : 'end_turn' }, usage: { output_tokens: 5 } });
    send('message_stop', {});
    res.end();
  }
}

/** The key a request carried: OpenAI's bearer token or Anthropic's x-api-key. */
function sentKey(req: RecordedRequest): string {
  const auth = req.headers['authorization'];
  const bearer = typeof auth === 'string' ? auth.replace(/^Bearer /, '') : undefined;
  const x = req.headers['x-api-key'];
  return bearer ?? (typeof x === 'string' ? x : '');
}
