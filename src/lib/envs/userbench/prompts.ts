/**
 * The judge and simulated-user prompts of travelgym/env/prompts.py, filled
 * from the pack's templates with Python's str.format, and the conversation
 * history as `build_history_into_prompt` writes it.
 */
import { dumps, type PyDict } from '../tau-bench/py.ts';
import { pyFormat, pyStrip } from './pytext.ts';
import type { TravelLlmMessage } from './llm.ts';
import type { TravelPreference } from './task.ts';

export interface PromptPair {
  system: string;
  /** A str.format template. */
  user: string;
}

/** The templates of upstream utils.py (the pack's prompts/*.txt) and OPTION_SCHEMAS. */
export interface UserBenchPrompts {
  judgeSearch: PromptPair;
  judgeUtterance: PromptPair;
  responsePreference: PromptPair;
  responseElicit: PromptPair;
  responseNatural: PromptPair;
  /** Per aspect, the text shown above the options after a correct search. */
  optionSchemas: Record<string, string>;
}

/** Pack file names (lower-cased upstream constant names). */
export const PROMPT_FILES: Record<Exclude<keyof UserBenchPrompts, 'optionSchemas'>, string> = {
  judgeSearch: 'judge_search',
  judgeUtterance: 'judge_prompt',
  responsePreference: 'response_preference',
  responseElicit: 'response_elicit',
  responseNatural: 'response_natural',
};

/** One entry of the original's `conversation_history`. */
export interface HistoryEntry {
  role: 'agent' | 'user' | 'database';
  content: string;
  note?: string;
}

const ROLE_LABEL: Record<HistoryEntry['role'], string> = { agent: 'Agent', user: 'User', database: 'Database' };

/** utils.py `build_history_into_prompt(history, with_note=True)`. */
function historyText(history: readonly HistoryEntry[]): string {
  if (history.length === 0) return 'No previous conversation.';
  let out = '';
  for (const entry of history) {
    out += `${ROLE_LABEL[entry.role]}: ${entry.content}\n`;
    if (entry.role === 'agent' && entry.note) out += `[Note: ${entry.note}]\n`;
    out += '\n';
  }
  return pyStrip(out);
}

function pair(p: PromptPair, fields: Record<string, string>): TravelLlmMessage[] {
  return [
    { role: 'system', content: p.system },
    { role: 'user', content: pyFormat(p.user, fields) },
  ];
}

/** `generate_judge_search`: the request against every aspect's ground-truth arguments (json.dumps indent=4). */
export function searchJudgeMessages(prompts: UserBenchPrompts, request: string, args: PyDict): TravelLlmMessage[] {
  let argString = '';
  for (const [dimension, argument] of args) argString += `Aspect Name: ${dimension}\n${dumps(argument, 4)}\n\n`;
  return pair(prompts.judgeSearch, { agent_request: request, ground_truth_arguments: pyStrip(argString) });
}

/** `generate_judge_response`: the utterance against the preferences not revealed yet. */
export function utteranceJudgeMessages(
  prompts: UserBenchPrompts,
  scenario: string,
  history: readonly HistoryEntry[],
  utterance: string,
  available: readonly TravelPreference[],
): TravelLlmMessage[] {
  let list = '';
  for (const p of available) list += `Preference ID: ${p.id}\tAspect: ${p.aspect}\nPreference: ${p.preference}\n\n`;
  return pair(prompts.judgeUtterance, {
    scenario,
    conversation_history: historyText(history),
    latest_utterance: utterance,
    preferences_list: pyStrip(list),
  });
}

function preferenceText(p: TravelPreference): string {
  return pyStrip(
    `Preference ID: ${p.id}\tAspect: ${p.aspect}\nPreference: ${p.preference}\nImplicit Elicitation Statement: ${p.implicitElicitation}`,
  );
}

/** The simulated user revealing `preference`: asked for (type 2) or volunteered (off-topic turns). */
export function revealMessages(
  template: PromptPair,
  preference: TravelPreference,
  history: readonly HistoryEntry[],
  utterance: string,
): TravelLlmMessage[] {
  return pair(template, { preference: preferenceText(preference), conversation_history: historyText(history), latest_utterance: utterance });
}

/** The simulated user's neutral reply. */
export function naturalMessages(prompts: UserBenchPrompts, history: readonly HistoryEntry[], utterance: string): TravelLlmMessage[] {
  return pair(prompts.responseNatural, { conversation_history: historyText(history), latest_utterance: utterance });
}
