import type { ChatCompletion, ChatCompletionRequestNonStreaming } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { MalformedOutputError } from '../errors.ts';
import type { ToolSchema } from '../contracts.ts';
import { actorOutputSchema, parseActorOutput, toLocalMessages, WebLLMActor, type ChatEngineLike } from './webllm.ts';

const tools: ToolSchema[] = [
  { type: 'function', function: { name: 'get_user', description: 'Look up', parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } } },
  { type: 'function', function: { name: 'cancel', parameters: {} } },
];

describe('parseActorOutput', () => {
  it('parses a message and a tool call, keeping argument order', () => {
    expect(parseActorOutput('{"action": "message", "content": "Hi"}', tools)).toEqual({ kind: 'message', content: 'Hi' });
    const a = parseActorOutput('{"action":"tool_call","name":"get_user","arguments":{"z":1,"id":"u1"}}', tools, () => 'c1');
    expect(a).toEqual({ kind: 'tool_call', call: { id: 'c1', name: 'get_user', arguments: { z: 1, id: 'u1' } } });
    if (a.kind === 'tool_call') expect(Object.keys(a.call.arguments)).toEqual(['z', 'id']);
  });
  it('tolerates text around the object and missing arguments', () => {
    expect(parseActorOutput('Sure: {"action":"tool_call","name":"cancel"} done', tools, () => 'c2')).toEqual({
      kind: 'tool_call',
      call: { id: 'c2', name: 'cancel', arguments: {} },
    });
  });
  it('rejects non-JSON, invalid JSON, non-actions and unknown tools with MalformedOutputError keeping the raw text', () => {
    for (const raw of ['hello', '{"action": "message", "content": }', '{"action": "shout"}', '{"action":"tool_call","name":"rm_rf","arguments":{}}']) {
      const err = (() => {
        try {
          parseActorOutput(raw, tools);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(MalformedOutputError);
      expect(err).toMatchObject({ raw });
    }
  });
});

describe('actorOutputSchema and message mapping', () => {
  it('constrains to a message or one call per known tool', () => {
    const s = actorOutputSchema(tools);
    expect(s).toMatchObject({ anyOf: [{ properties: { action: { enum: ['message'] } } }, { properties: { name: { enum: ['get_user'] } } }, { properties: { name: { enum: ['cancel'] } } }] });
    expect(actorOutputSchema([])).toMatchObject({ required: ['action', 'content'] });
  });
  it('maps tool turns to user turns and merges neighbours', () => {
    const m = toLocalMessages([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'get_user', arguments: { id: 'u1' } }] },
      { role: 'tool', toolCallId: 'c', name: 'get_user', content: '{"name":"A"}' },
      { role: 'user', content: 'and?' },
    ]);
    expect(m).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: '{"action":"tool_call","name":"get_user","arguments":{"id":"u1"}}' },
      { role: 'user', content: '[Result of get_user] {"name":"A"}\n\nand?' },
    ]);
  });
});

/** Stands in for web-llm's engine, which needs a GPU and downloaded weights. */
class ChatEngineDouble implements ChatEngineLike {
  requests: ChatCompletionRequestNonStreaming[] = [];
  constructor(private readonly content: string) {}
  chat = {
    completions: {
      create: async (request: ChatCompletionRequestNonStreaming): Promise<ChatCompletion> => {
        this.requests.push(request);
        return {
          id: 'x',
          object: 'chat.completion',
          created: 0,
          model: 'm',
          choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: this.content } }],
          usage: { prompt_tokens: 50, completion_tokens: 9, total_tokens: 59, extra: { e2e_latency_s: 0, prefill_tokens_per_s: 0, decode_tokens_per_s: 0, time_to_first_token_s: 0, time_per_output_token_s: 0 } },
        };
      },
    },
  };
  interruptGenerate(): void {}
}

describe('WebLLMActor', () => {
  it('asks for constrained JSON and returns the parsed tool call with usage', async () => {
    const engine = new ChatEngineDouble('{"action":"tool_call","name":"get_user","arguments":{"id":"u9"}}');
    const actor = new WebLLMActor(engine, 'Qwen2.5-7B-Instruct-q4f16_1-MLC');
    const r = await actor.propose({ system: 'Be nice.', messages: [{ role: 'user', content: 'I am u9' }], tools }, new AbortController().signal);
    expect(r.action).toMatchObject({ kind: 'tool_call', call: { name: 'get_user', arguments: { id: 'u9' } } });
    expect(r.usage).toEqual({ promptTokens: 50, completionTokens: 9 });
    const req = engine.requests[0];
    expect(req?.response_format?.type).toBe('json_object');
    expect(JSON.parse(req?.response_format?.schema ?? '{}')).toEqual(actorOutputSchema(tools));
    expect(req?.messages[0]?.content).toContain('Be nice.');
  });
});
