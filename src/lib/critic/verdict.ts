import { z } from 'zod';
import { decodingSchema } from '../decoding-schema.ts';
import { firstJsonObject } from '../json-object.ts';
import type { Verdict } from '../contracts.ts';

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

/**
 * JSON schema of VerdictOutput, for constrained decoding (web-llm/XGrammar,
 * OpenAI json_schema). Derived from the zod schema; the length limits stay
 * with parseVerdict (a 4000-long repetition is a grammar XGrammar must build
 * for every request), and `$schema` is left out for the OpenAI subset.
 */
export const VERDICT_JSON_SCHEMA = /* @__PURE__ */ decodingSchema(VerdictOutputSchema);

type ParsedVerdict = VerdictOutput | { decision: 'unparsed'; error: string };

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

/** Turns raw critic text into a Verdict; malformed output becomes `unparsed`, never an exception. */
export function verdictFromText(raw: string, critic: string, latencyMs: number, usage?: Verdict['usage']): Verdict {
  const p = parseVerdict(raw);
  const base = { critic, latencyMs, raw, ...(usage ? { usage } : {}) };
  if (p.decision === 'unparsed') return { ...base, decision: 'unparsed', error: p.error };
  return {
    ...base,
    decision: p.decision,
    ...(p.feedback ? { feedback: p.feedback } : {}),
    ...(p.category ? { category: p.category } : {}),
  };
}
