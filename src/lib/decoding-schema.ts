import { z } from 'zod';

export type JsonSchema = z.core.JSONSchema.JSONSchema;

/**
 * A zod schema as the JSON schema that constrained decoders take (web-llm's
 * XGrammar, OpenAI's json_schema): the same shape, without `$schema` (outside
 * OpenAI's subset) and without string length limits (XGrammar would unroll
 * them into a grammar rule per character; the zod parse still checks them).
 */
export function decodingSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    override: ({ jsonSchema }) => {
      delete jsonSchema.maxLength;
      delete jsonSchema.minLength;
    },
  });
  return json;
}
