/**
 * Real-length tau-bench episodes for testing and benchmarking the critic
 * prompt: for one test task, the gold actions run on the real environment (so
 * every observation is the real tool output), with the reads a real agent
 * makes around them (the user's record, each of their orders or
 * reservations, flight searches before a booking), a confirmation turn before
 * every write (with the write proposed too early once and rejected, as a
 * critic would), and user turns of realistic length drawn from the task's
 * instruction. Each actor action is one critic decision point.
 *
 * Deterministic: the same pack and task give the same episode.
 */
import { budgetedCriticPrompt, budgetForWindow, type TokenCounter } from '../critic/budget.ts';
import { buildCriticPrompt } from '../critic/prompt.ts';
import type { CriticInput } from '../critic/types.ts';
import { isReadOnlyTool } from '../data/gold.ts';
import { createTauEnv, type TauEnv } from '../envs/tau-bench/env.ts';
import { RESPOND_ACTION_NAME, type TauPack } from '../envs/tau-bench/pack.ts';
import type { TauDomain } from '../envs/tau-bench/tool.ts';
import { toJs } from '../envs/tau-bench/py.ts';
import type { Action, ChatMessage } from '../types.ts';

export interface RealLengthEpisode {
  domain: TauDomain;
  taskIndex: number;
  /** The critic's input at every actor action, in order. */
  points: CriticInput[];
  /** The whole conversation at the end. */
  history: ChatMessage[];
}

/** At most this many of the user's orders or reservations are looked up (real agents look at a handful). */
const MAX_RECORD_LOOKUPS = 5;

const EARLY_WRITE_FEEDBACK =
  'The agent must list the action details and obtain explicit user confirmation (yes) before taking a consequential action that updates the database. Ask the user to confirm first.';

/** The instruction in the user's voice, as sentences ("You are X" becomes "I am X"). */
function userSentences(instruction: string): string[] {
  const firstPerson = instruction
    .replace(/\bYou are\b/g, 'I am')
    .replace(/\byou are\b/g, 'I am')
    .replace(/\bYou\b/g, 'I')
    .replace(/\byou\b/g, 'me')
    .replace(/\b[Yy]our\b/g, 'my');
  return firstPerson.split(/(?<=[.!?])\s+/).filter((s) => s.trim().length > 0);
}

function parseRecord(observation: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(observation);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {};
  } catch {
    return {};
  }
}

function idsOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (v !== null && typeof v === 'object') return Object.keys(v);
  return [];
}

function argsOf(kwargs: TauEnv['task']['actions'][number]['kwargs']): Record<string, unknown> {
  const js = toJs(kwargs);
  return js !== null && typeof js === 'object' && !Array.isArray(js) ? Object.fromEntries(Object.entries(js)) : {};
}

/** Builds one real-length episode of a test task. */
export function realLengthEpisode(pack: TauPack, domain: TauDomain, taskIndex: number): RealLengthEpisode {
  const env = createTauEnv(pack, domain, taskIndex);
  const task = env.task;
  const history: ChatMessage[] = [];
  const points: CriticInput[] = [];
  const sentences = userSentences(task.instruction);
  let calls = 0;

  const userSays = (content: string) => history.push({ role: 'user', content });
  /** The next one or two sentences of the instruction, or a short reply once they run out. */
  const userContinues = (fallback: string) => {
    const next = sentences.splice(0, 2).join(' ');
    userSays(next || fallback);
  };
  const act = (action: Action, previousAttempts: CriticInput['previousAttempts'] = []): string | null => {
    points.push({ policy: env.policy, tools: env.tools, history: [...history], proposal: action, previousAttempts });
    if (action.kind === 'message') {
      history.push({ role: 'assistant', content: action.content });
      return null;
    }
    const observation = env.execute(action.call).observation;
    history.push({ role: 'assistant', content: action.content ?? '', toolCalls: [action.call] });
    history.push({ role: 'tool', toolCallId: action.call.id, name: action.call.name, content: observation });
    return observation;
  };
  const toolCall = (name: string, args: Record<string, unknown>): Action => ({ kind: 'tool_call', call: { id: `call_${++calls}`, name, arguments: args } });
  const say = (content: string): Action => ({ kind: 'message', content });

  userContinues('Hi, I need some help.');
  act(say('Hello! I can help you with that. First, I need to verify your identity: could you please give me your email address, or your first and last name together with your zip code?'));
  const lookup = task.actions.find((a) => a.name.startsWith('find_user_id'));
  userSays(lookup ? `Sure. ${Object.values(argsOf(lookup.kwargs)).join(', ')}.` : `Sure, my user id is ${task.userId}.`);
  if (lookup) act(toolCall(lookup.name, argsOf(lookup.kwargs)));

  const user = parseRecord(act(toolCall('get_user_details', { user_id: task.userId })) ?? '');
  const recordTool = domain === 'retail' ? 'get_order_details' : 'get_reservation_details';
  const recordKey = domain === 'retail' ? 'order_id' : 'reservation_id';
  for (const id of idsOf(user[domain === 'retail' ? 'orders' : 'reservations']).slice(0, MAX_RECORD_LOOKUPS)) act(toolCall(recordTool, { [recordKey]: id }));
  act(say('Thank you, I have found your account and your recent records. How exactly would you like me to help?'));
  userContinues('Please go ahead with what I asked.');

  for (const gold of task.actions) {
    const args = argsOf(gold.kwargs);
    if (gold.name === lookup?.name) continue;
    if (gold.name === RESPOND_ACTION_NAME) {
      act(say(String(args.content ?? '')));
      userContinues('Okay, thank you.');
      continue;
    }
    if (isReadOnlyTool(gold.name)) {
      act(toolCall(gold.name, args));
      continue;
    }
    // A booking or flight change: the agent searches the flights first.
    const flights = Array.isArray(args.flights) ? args.flights : [];
    for (const f of flights.slice(0, 2)) {
      const date = f !== null && typeof f === 'object' ? Reflect.get(f, 'date') : undefined;
      if (typeof args.origin === 'string' && typeof args.destination === 'string' && typeof date === 'string') {
        act(toolCall('search_direct_flight', { origin: args.origin, destination: args.destination, date }));
      }
    }
    const write = toolCall(gold.name, args);
    // The write proposed before confirmation, rejected; then the confirmation question.
    act(say(`Before I proceed, here are the details of this action: ${gold.name} with ${JSON.stringify(args)}. Do you confirm that I should go ahead (yes/no)?`), [
      { action: write, feedback: EARLY_WRITE_FEEDBACK },
    ]);
    userSays('Yes, please go ahead.');
    const observation = act(write) ?? '';
    act(say(`Done. The ${gold.name.replaceAll('_', ' ')} went through; here is the result: ${observation.slice(0, 300)}`));
    userContinues('Great, thanks.');
  }
  act(say('Is there anything else I can help you with today?'));
  userSays('No, that is all. Thank you! ###STOP###');
  return { domain, taskIndex, points, history };
}

/** Every test task of a domain as a real-length episode. */
export function realLengthEpisodes(pack: TauPack, domain: TauDomain): RealLengthEpisode[] {
  const tasks = pack.domains[domain]?.tasks.test ?? [];
  return tasks.map((_, i) => realLengthEpisode(pack, domain, i));
}

export interface BudgetMeasure {
  window: number;
  points: number;
  /** Prompt tokens per decision point, before and after the budget. */
  before: number[];
  after: number[];
  /** Points the budget shortened, and the characters it cut in all (shortened observations and omitted messages). */
  shortened: number;
  shortenedChars: number;
  overflows: number;
}

/** Every decision point's single-turn prompt at `window`, counted with `count`. */
export function measureBudget(episodes: readonly RealLengthEpisode[], window: number, count: TokenCounter): BudgetMeasure {
  const budget = budgetForWindow(window, count);
  const m: BudgetMeasure = { window, points: 0, before: [], after: [], shortened: 0, shortenedChars: 0, overflows: 0 };
  for (const e of episodes) {
    for (const input of e.points) {
      m.points++;
      const full = buildCriticPrompt(input);
      m.before.push(count(full.system) + count(full.user));
      const { prompt, fit } = budgetedCriticPrompt(input, budget);
      m.after.push(count(prompt.system) + count(prompt.user));
      if (fit && (fit.omitted > 0 || fit.shortenedObservations > 0)) m.shortened++;
      m.shortenedChars += (fit?.shortenedChars ?? 0) + (fit?.omittedChars ?? 0);
      if (fit && !fit.fits) m.overflows++;
    }
  }
  return m;
}
