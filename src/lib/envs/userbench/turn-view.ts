/**
 * What a UserBench turn shows in the Chat tab and History: the search and its
 * outcome, the question with the judge's type and the preference it revealed,
 * or the answer and its verdict; with the turn's reward. Read from a step's
 * `envInfo` (stored or imported data, so validated here, where it is read).
 */
import { z } from 'zod';

const TurnInfoSchema = z.object({
  action: z.string().optional(),
  search: z.object({ outcome: z.string(), aspect: z.string().optional() }).optional(),
  utterance: z.object({ type: z.string(), revealed: z.string().optional(), volunteered: z.string().optional() }).optional(),
  answer: z.object({ ids: z.array(z.string()), outcome: z.string() }).optional(),
  revealed: z.array(z.object({ id: z.string(), aspect: z.string(), preference: z.string() })).optional(),
  ended: z.string().optional(),
});

interface TurnView {
  kind: 'search' | 'ask' | 'answer' | 'other' | 'ended';
  /** One line: what happened. */
  summary: string;
  /** Preferences this turn brought out: asked for, or volunteered by the user. */
  elicited: Array<{ id: string; aspect: string; preference: string; how: 'asked' | 'volunteered' }>;
  reward: number | undefined;
}

const SEARCH: Record<string, string> = {
  results: 'correct search: options shown',
  repeat: 'correct search, already shown',
  wrong: 'wrong search arguments',
  unrelated: 'search unrelated to the trip',
  'backend-error': 'search failed (simulated backend error, every 5th search)',
};
const UTTERANCE: Record<string, string> = {
  '1': 'judged unrelated to a preference',
  '2': 'asked about a preference the user has',
  '3': 'asked about a preference the user does not have',
  '4': 'too vague',
  'judge-failed': 'the judge failed (counted as unrelated)',
};
const ANSWER: Record<string, string> = {
  best: 'the best option',
  correct: 'correct, not the best',
  wrong: 'wrong',
  mixed: 'mixed (several ids)',
  invalid: 'not an option id',
  refused: 'refused: this aspect already has an answer',
  multiple: 'several options at once',
};

/** Undefined for a step without UserBench info (other environments). */
export function turnView(envInfo: Record<string, unknown> | undefined, reward: number | undefined): TurnView | undefined {
  if (!envInfo) return undefined;
  const r = TurnInfoSchema.safeParse(envInfo);
  if (!r.success) return undefined;
  const info = r.data;
  const volunteered = info.utterance?.volunteered;
  const elicited = (info.revealed ?? []).map((p) => ({ ...p, how: p.id === volunteered ? ('volunteered' as const) : ('asked' as const) }));
  if (info.ended) return { kind: 'ended', summary: 'the rollout ended here (as eval.py ends it)', elicited, reward };
  if (info.search) {
    const label = SEARCH[info.search.outcome] ?? info.search.outcome;
    return { kind: 'search', summary: info.search.aspect ? `${label} (${info.search.aspect})` : label, elicited, reward };
  }
  if (info.utterance) return { kind: 'ask', summary: UTTERANCE[info.utterance.type] ?? `type ${info.utterance.type}`, elicited, reward };
  if (info.answer) return { kind: 'answer', summary: `answer ${info.answer.ids.join(', ')}: ${ANSWER[info.answer.outcome] ?? info.answer.outcome}`, elicited, reward };
  return { kind: 'other', summary: info.action ? `not a search, question or answer: ${info.action.slice(0, 80)}` : 'other', elicited, reward };
}
