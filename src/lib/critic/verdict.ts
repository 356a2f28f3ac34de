import { z } from 'zod';

/**
 * The verdict the critic must emit. `decision` comes first so that an
 * approval can stop decoding after a few tokens; only a revision pays for
 * feedback text.
 */
export const VerdictOutputSchema = z.object({
  decision: z.enum(['approve', 'revise']),
  category: z.string().max(80).optional(),
  feedback: z.string().max(4000).optional(),
});
export type VerdictOutput = z.infer<typeof VerdictOutputSchema>;

/** JSON schema of VerdictOutput, for constrained decoding (web-llm/XGrammar, OpenAI json_schema). */
export const VERDICT_JSON_SCHEMA = {
  type: 'object',
  properties: {
    decision: { type: 'string', enum: ['approve', 'revise'] },
    category: { type: 'string' },
    feedback: { type: 'string' },
  },
  required: ['decision'],
  additionalProperties: false,
} as const;

export type ParsedVerdict = VerdictOutput | { decision: 'unparsed'; error: string };

/** The first balanced {...} block in text, ignoring braces inside strings. */
function firstJsonObject(text: string): string | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

/**
 * Strict verdict parser for model output. Tolerates only what models commonly
 * wrap JSON in (code fences, a sentence before it); anything else is
 * `unparsed`, never an exception.
 */
export function parseVerdict(raw: string): ParsedVerdict {
  const block = firstJsonObject(raw);
  if (!block) return { decision: 'unparsed', error: 'No JSON object in critic output' };
  let value: unknown;
  try {
    value = JSON.parse(block);
  } catch (err) {
    return { decision: 'unparsed', error: `Invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const r = VerdictOutputSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { decision: 'unparsed', error: `Not a verdict: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}` };
  }
  if (r.data.decision === 'revise' && !r.data.feedback?.trim()) {
    return { decision: 'unparsed', error: 'A revise verdict must carry feedback' };
  }
  return r.data;
}
