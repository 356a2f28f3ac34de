/**
 * tau2's NL-assertion judge (src/tau2/evaluator/evaluator_nl_assertions.py,
 * `NLAssertionsEvaluator.evaluate_nl_assertions`): the original's system and
 * user prompts byte for byte, sent to a model through Spotter's `Actor`
 * interface (the user's key and provider; temperature 0 as the original's
 * DEFAULT_LLM_NL_ASSERTIONS_ARGS), and its reply read as the original reads it:
 * `json.loads` of the whole text (no code fences), `results[*]` with
 * `expectedOutcome`, `reasoning` (strings) and `metExpectation` (a bool, with
 * pydantic's lax coercions: "true", "no", 1, ...).
 *
 * One deliberate difference: the original scores a reply with no `results`,
 * or with fewer results than assertions, by `all()` over what is there, so
 * `{"results": []}` passes. Here that is a malformed reply naming the
 * assertion left ungraded, never a silent pass. `tests/fixtures/tau2/nl-judge.json`
 * (record_nl_judge.py) holds the original's prompts and its verdicts on
 * scripted replies; nl-judge.test.ts checks both.
 */
import { z } from 'zod';
import type { Actor } from '../../actor/actor-interface.ts';
import { MalformedOutputError } from '../../errors.ts';
import { JsonSyntaxError, parseJson, pyRepr, toJs } from '../tau-bench/py.ts';
import type { Tau2Message } from './environment.ts';
import type { NlAssertionCheck, NlJudge } from './evaluator.ts';

/** config.py DEFAULT_LLM_NL_ASSERTIONS: the model the original's published numbers were judged with. */
export const NL_JUDGE_DEFAULT_MODEL = 'gpt-4.1-2025-04-14';

const I = '        ';
/** The original's system prompt, indentation and trailing blanks included (a triple-quoted string in a method body). */
export const NL_JUDGE_SYSTEM_PROMPT = [
  '',
  `${I}TASK`,
  `${I}- You will be given a list of expected outcomes and a conversation that was collected during a test case run.`,
  `${I}- The conversation is between an agent and a customer.`,
  `${I}- Your job is to evaluate whether the agent satisfies each of the expected outcomes.`,
  `${I}- Grade each expected outcome individually.`,
  '',
  `${I}FORMAT`,
  `${I}- Your response should be a JSON object with the following fields:`,
  `${I}- \`reasoning\`: a short explanation for your classification`,
  `${I}- \`metExpectation\`: \`true\` if the agent satisfies the expected outcomes, \`false\` otherwise`,
  `${I}- \`expectedOutcome\`: repeat the expectation from the input that you are grading`,
  I,
  `${I}Example response structure:`,
  `${I}{`,
  `${I}    "results": [`,
  `${I}        {`,
  `${I}            "expectedOutcome": "<one of the expected outcomes from the input>",`,
  `${I}            "reasoning": "<reasoning trace>",`,
  `${I}            "metExpectation": <false or true>,`,
  `${I}        }`,
  `${I}    ]`,
  `${I}}`,
  I,
].join('\n');

/** `f"{message.role}: {message.content}"` per message, joined by newlines; a missing content prints as Python's `None`. */
export function trajectoryText(trajectory: readonly Tau2Message[]): string {
  return trajectory.map((m) => `${m.role}: ${m.content ?? 'None'}`).join('\n');
}

/** The user prompt: the conversation, then the assertions as Python prints a list of strings (`repr`). */
export function nlJudgeUserPrompt(trajectory: readonly Tau2Message[], assertions: readonly string[]): string {
  return ['', `${I}conversation:`, `${I}${trajectoryText(trajectory)}`, I, `${I}expectedOutcomes:`, `${I}${pyRepr([...assertions])}`, I].join('\n');
}

const PY_TRUE = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const PY_FALSE = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/** pydantic's lax `bool`: a bool; 0 or 1; or one of its true/false words in any case. */
const LaxBool = z.union([
  z.boolean(),
  z.number().refine((n) => n === 0 || n === 1, 'a number that is not 0 or 1').transform((n) => n === 1),
  z
    .string()
    .refine((s) => PY_TRUE.has(s.toLowerCase()) || PY_FALSE.has(s.toLowerCase()), 'a string that is not a boolean word')
    .transform((s) => PY_TRUE.has(s.toLowerCase())),
]);

const JudgeResultSchema = z.object({ expectedOutcome: z.string(), reasoning: z.string(), metExpectation: LaxBool });
const JudgeReplySchema = z.object({ results: z.array(z.unknown()) });

function malformed(assertion: string | undefined, problem: string, raw: string): MalformedOutputError {
  const which = assertion === undefined ? 'the NL assertions' : `NL assertion ${JSON.stringify(assertion)}`;
  return new MalformedOutputError(`The NL-assertion judge's reply does not grade ${which}: ${problem}`, raw);
}

/**
 * Reads the judge's reply into one check per assertion, in the reply's order (the original keeps the
 * judge's restatement as `nl_assertion`). Throws MalformedOutputError naming the assertion it cannot grade.
 */
export function parseNlJudgeReply(text: string, assertions: readonly string[]): NlAssertionCheck[] {
  let json: unknown;
  try {
    json = toJs(parseJson(text));
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw malformed(undefined, `not JSON (${e.message})`, text);
    throw e;
  }
  const reply = JudgeReplySchema.safeParse(json);
  if (!reply.success) throw malformed(assertions[0], 'no "results" list', text);
  const results = reply.data.results;
  const checks = results.map((raw, i): NlAssertionCheck => {
    const r = JudgeResultSchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw malformed(assertions[i], `results[${i}].${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, text);
    }
    return { nlAssertion: r.data.expectedOutcome, met: r.data.metExpectation, justification: r.data.reasoning };
  });
  if (checks.length < assertions.length) throw malformed(assertions[checks.length], `${checks.length} result(s) for ${assertions.length} assertions`, text);
  if (checks.length > assertions.length) throw malformed(undefined, `${checks.length} results for ${assertions.length} assertions`, text);
  return checks;
}

/** The judge on any Spotter actor: the system prompt as system, the user prompt as the one user message, no tools. */
export function actorNlJudge(actor: Actor): NlJudge {
  return async (assertions, trajectory, signal) => {
    const request = { system: NL_JUDGE_SYSTEM_PROMPT, messages: [{ role: 'user' as const, content: nlJudgeUserPrompt(trajectory, assertions) }], tools: [] };
    const reply = await actor.propose(request, signal ?? new AbortController().signal);
    const text = reply.action.kind === 'message' ? reply.action.content : (reply.action.content ?? '');
    return { checks: parseNlJudgeReply(text, assertions) };
  };
}
