import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actorOutputSchema } from './actor/webllm.ts';
import { VERDICT_JSON_SCHEMA, VerdictOutputSchema } from './critic/verdict.ts';
import { decodingSchema } from './decoding-schema.ts';
import type { ToolSchema } from './contracts.ts';

const tool = (name: string, parameters: Record<string, unknown>): ToolSchema => ({ type: 'function', function: { name, description: name, parameters } });

describe('decoding schemas derived from the zod schemas', () => {
  it('gives web-llm the verdict schema it was given when written by hand: no $schema, no length limits', () => {
    expect(VERDICT_JSON_SCHEMA).toEqual({
      type: 'object',
      properties: {
        decision: { type: 'string', enum: ['approve', 'revise'] },
        category: { type: 'string' },
        feedback: { type: 'string' },
      },
      required: ['decision'],
      additionalProperties: false,
    });
  });

  it('follows the zod schema when it changes (a new field shows up in the decoding schema)', () => {
    const wider = decodingSchema(VerdictOutputSchema.extend({ confidence: z.number().min(0).max(1) }));
    expect(wider).toMatchObject({ properties: { confidence: { type: 'number', minimum: 0, maximum: 1 } }, required: ['decision', 'confidence'] });
    expect(JSON.stringify(wider)).not.toMatch(/maxLength|minLength|\$schema/);
  });

  it('gives the local actor a message or one call per tool, with the tool parameters as written', () => {
    const getUser = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
    expect(actorOutputSchema([tool('get_user', getUser), tool('ping', {})])).toEqual({
      anyOf: [
        { type: 'object', properties: { action: { type: 'string', enum: ['message'] }, content: { type: 'string' } }, required: ['action', 'content'], additionalProperties: false },
        {
          type: 'object',
          properties: { action: { type: 'string', enum: ['tool_call'] }, name: { type: 'string', enum: ['get_user'] }, arguments: getUser },
          required: ['action', 'name', 'arguments'],
          additionalProperties: false,
        },
        {
          type: 'object',
          properties: { action: { type: 'string', enum: ['tool_call'] }, name: { type: 'string', enum: ['ping'] }, arguments: { type: 'object' } },
          required: ['action', 'name', 'arguments'],
          additionalProperties: false,
        },
      ],
    });
  });
});
