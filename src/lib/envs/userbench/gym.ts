/**
 * TravelGym: upstream `TravelEnv.step` / `step_async` with `evaluate_action`
 * (prompts.py, sync) and `async_evaluate_action` (prompt_async.py, what eval.py
 * runs), every observation string as the original writes it. The quirks of the
 * async path are kept on purpose (README, "UserBench quirks").
 */
import { AbortedError, SpotterError, errorMessage, isAbort } from '../../errors.ts';
import { dumps, isDict, pyStr, type PyValue } from '../tau-bench/py.ts';
import { LlmScriptError, type LlmCallRecord, type TravelLlm, type TravelLlmMessage, type TravelLlmPurpose } from './llm.ts';
import {
  naturalMessages,
  revealMessages,
  searchJudgeMessages,
  utteranceJudgeMessages,
  type HistoryEntry,
  type UserBenchPrompts,
} from './prompts.ts';
import { isOptionId, parseOutputAsJson, pyPercent2, pyStrip } from './pytext.ts';
import { PyRandom } from './rng.ts';
import type { TravelPreference, TravelTask } from './task.ts';

export interface TravelGymConfig {
  /** Truncation after this many steps (eval.py's --max_turns; 20 in the README and eval.sh). */
  maxSteps: number;
  /** A second answer for an aspect is refused; the sync step also ends once every aspect has one. */
  oneChoicePerAspect: boolean;
  /** 'async': step_async + async_evaluate_action (eval.py, the published numbers); 'sync': step. */
  mode: 'async' | 'sync';
  /** `random.seed` for the unprompted reveal's `random.choice` (TravelGymConfig.seed). */
  seed: number;
  /** Every Nth search fails on purpose. */
  searchFailureInterval: number;
  /** Off-topic turns before the user volunteers a preference. */
  elicitationInterval: number;
  searchCorrectReward: number;
  preferenceCorrectReward: number;
  choiceBestReward: number;
  choiceCorrectReward: number;
  wrongChoicePenalty: number;
  rewardScale: number;
  stepPenalty: number;
  normalizeRewards: boolean;
  /** model_call's tries when the call itself fails (not when its text does not parse). */
  llmAttempts: number;
  /** model_call's pause between tries. */
  llmRetryDelayMs: number;
}

/** travelgym/config.py defaults, with eval.py's one_choice default (False) and eval.sh's 20 turns. */
export const DEFAULT_TRAVEL_GYM_CONFIG: Readonly<TravelGymConfig> = {
  maxSteps: 20,
  oneChoicePerAspect: false,
  mode: 'async',
  seed: 0,
  searchFailureInterval: 5,
  elicitationInterval: 3,
  searchCorrectReward: 0.2,
  preferenceCorrectReward: 0.2,
  choiceBestReward: 1.0,
  choiceCorrectReward: 0.8,
  wrongChoicePenalty: 0.0,
  rewardScale: 1.0,
  stepPenalty: 0.0,
  normalizeRewards: false,
  llmAttempts: 3,
  llmRetryDelayMs: 2000,
};

/** What a step did (a type alias, so it still reads as a Record<string, unknown>). */
type TravelStepInfo = {
  kind: 'search' | 'action' | 'answer' | 'format' | 'finish';
  /** The action as given to step(). */
  action: string;
  /** The LLM calls this step made, for the trace and for restore(). */
  llmCalls: LlmCallRecord[];
  stepCount: number;
  newlyElicited: string[];
  activeElicited: number;
  passiveElicited: number;
  totalPreferences: number;
  remainingPreferences: number;
  elicitationRatio: number;
  totalReward: number;
};

export interface TravelStep {
  observation: string;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: TravelStepInfo;
}

type SearchOutcome = 'results' | 'repeat' | 'wrong' | 'unrelated' | 'backend-error';
type UtteranceType = '1' | '2' | '3' | '4' | 'judge-failed';
type AnswerOutcome = 'best' | 'correct' | 'wrong' | 'mixed' | 'invalid' | 'refused' | 'multiple';

interface SearchRecord {
  step: number;
  query: string;
  outcome: SearchOutcome;
  aspect?: string;
}
interface UtteranceRecord {
  step: number;
  text: string;
  type: UtteranceType;
  reply: string;
  /** A preference the user revealed in this reply. */
  revealed?: string;
  /** The user volunteered a preference after off-topic turns (async: the reveal is lost, a quirk). */
  volunteered?: string;
}
interface AnswerRecord {
  step: number;
  ids: string[];
  outcome: AnswerOutcome;
  reward: number;
}

/** What a UI shows: what was asked, searched, revealed and answered. */
interface TravelGymState {
  readonly stepCount: number;
  readonly episodeComplete: boolean;
  readonly totalReward: number;
  readonly remainingPreferences: readonly TravelPreference[];
  readonly elicitedPreferences: readonly TravelPreference[];
  readonly searches: readonly SearchRecord[];
  readonly utterances: readonly UtteranceRecord[];
  readonly answers: readonly AnswerRecord[];
  readonly remainingBestIds: readonly string[];
  readonly searchTimes: number;
  readonly activeElicited: number;
  readonly passiveElicited: number;
  /** The original's conversation_history, which the judge and the user see. */
  readonly history: readonly HistoryEntry[];
}

/** A state the original ends in a Python exception (an uncaught one ends eval.py's rollout). */
export class TravelGymError extends SpotterError {
  override name = 'TravelGymError';
  constructor(message: string) {
    super('travelgym', message);
  }
}

// Observation texts, verbatim from prompts.py / prompt_async.py.
const SEARCH_BACKEND_ERROR = 'Currently the searching backend is experiencing some issues. Please try again later.';
const SEARCH_WRONG =
  "There's something wrong within your searching request, or the arguments in your request is not accurate. Please refine your search request to 1. align with user's need, 2. make only one request attempt at a time, and 3. cover and only cover correct search request arguments.";
const SEARCH_UNRELATED =
  'You have provided the correct search request arguments. However, the arguments are not related to any of the ground truth search arguments. Please refine your search request to 1. align with user\'s need, 2. make only one request attempt at a time, and 3. cover and only cover correct search request arguments.';
const searchRepeat = (aspect: string): string =>
  `You have provided the correct search request arguments. However, you have already got the search results for <${aspect}> in previous search attempts. Please directly refer to the previous search results.`;
const NOTE_TYPE: Record<'1' | '3' | '4', string> = {
  '1': "Agent's utterance is not related to preference or not explicitly asking for a preference. I will respond naturally and coherently.",
  '3': "Agent's utterance is explicitly asking for a preference, but I do not have this preference. I will respond in a neutral way, but still relevant to the conversation and make sense and coherent.",
  '4': "Agent's utterance is very vague and general, not explicitly asking for a detailed aspect of preference. I will respond by pointing out the agent's utterance is too general and vague, and I will respond naturally and coherently.",
};
const noteType2 = (id: string): string =>
  `Agent's utterance is explicitly asking for a preference that I have. Preference ID: ${id}. I will elicit this preference in an implicit and indirect manner.`;
const NOTE_JUDGE_FAILED =
  "Judging of agent's latest utterance failed due to some issues. By default regard it as normal conversation. Should converse naturally and coherently.";
const NOTE_VOLUNTEER =
  "The agent's latest utterance is not related to any preference I have, and the topic is off the target for several turns. I will respond naturally and coherently, but also proactively elicit a preference in an implicit and indirect manner.";
const NOTE_REPLY_FAILED = 'Responding system met some issues. Fallback to default pre-defined response.';
const REPLY_FAILED = "I'm sorry, I'm not sure how to respond to your latest utterance right now. Please try again.";
const REPLY_TYPE3 =
  'This is a good question. However, I do not have specific preference in the aspect you ask about yet (or maybe I have already elicited that to you before). You may continue to ask me about other detailed and specific preferences.';
const REPLY_TYPE4 =
  'Your question is too vague and general, and I am not sure how to respond to it. Please ask me about some specific aspects of my preferences, in a more detailed and concrete way, so that I can provide you with a more accurate response.';
const ANSWER_MULTIPLE = 'You have chosen multiple options. Please choose only one option at a time.';
const answerInvalid = (id: string): string => `Invalid option ID format detected for '${id}'. Expected format: H1, F12, C4, etc.`;
const answerRefused = (initial: string): string =>
  `You have already recommended an option with the same initial '${initial}'. You are allowed to recommend only one option per traveling aspect. Please focus on the search, user preference, and option recommendation on other traveling aspects now.`;
const FORMAT_WRONG = 'Your response format is wrong and cannot be parsed properly.';
const INITIAL_ASPECT: Readonly<Record<string, string>> = { F: 'flight', A: 'apartment', C: 'rental_car', H: 'hotel', R: 'restaurant' };

interface Evaluation {
  feedback: string;
  elicited: string[];
  reward: number;
  kind: 'search' | 'action' | 'answer' | 'format';
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (ms <= 0) return resolve();
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new AbortedError());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Python's `key in value` on a parsed reply: dict keys, list items, substrings;
 * None fails the original's `is not None` and numbers raise TypeError, both caught.
 */
function pyContains(v: PyValue, key: string): boolean {
  if (typeof v === 'string') return v.includes(key);
  if (Array.isArray(v)) return v.includes(key);
  return v !== null && isDict(v) && v.has(key);
}

/** Removes the first `x` from `list`, as Python's list.remove; false when absent. */
function removeFirst(list: string[], x: string): boolean {
  const i = list.indexOf(x);
  if (i < 0) return false;
  list.splice(i, 1);
  return true;
}

/** A step as a trace keeps it: the formatted action and the LLM calls it made (TravelStep.info.action / .llmCalls). */
export interface RecordedTravelStep {
  action: string;
  llmCalls: readonly LlmCallRecord[];
}

export class TravelGym {
  private config: TravelGymConfig;
  private stepCalls: LlmCallRecord[] = [];
  private random: PyRandom;
  private stepCount = 0;
  private episodeComplete = false;
  private totalReward = 0;
  private remaining: TravelPreference[] = [];
  private elicited: TravelPreference[] = [];
  private history: HistoryEntry[] = [];
  private searchTimes = 0;
  private nonpreferenceTimes = 0;
  private searchArguments: string[] = [];
  private remainingBest: string[] = [];
  private remainingCorrect: string[] = [];
  private choiceInitials: string[] = [];
  private activeElicited = 0;
  private passiveElicited = 0;
  private searches: SearchRecord[] = [];
  private utterances: UtteranceRecord[] = [];
  private answers: AnswerRecord[] = [];

  constructor(
    readonly task: TravelTask,
    config: Partial<TravelGymConfig>,
    private readonly llm: TravelLlm,
    private readonly prompts: UserBenchPrompts,
  ) {
    this.config = { ...DEFAULT_TRAVEL_GYM_CONFIG, ...config };
    if (!(this.config.maxSteps > 0)) throw new TravelGymError('max_steps must be positive');
    this.random = new PyRandom(this.config.seed);
    this.reset();
  }

  /**
   * Rebuilds a gym mid-episode (after a reload) by replaying the recorded
   * steps with their recorded LLM texts, so state and random draws are exactly
   * as they were; later steps call `llm`.
   */
  static async restore(
    task: TravelTask,
    config: Partial<TravelGymConfig>,
    llm: TravelLlm,
    prompts: UserBenchPrompts,
    steps: readonly RecordedTravelStep[],
  ): Promise<TravelGym> {
    let queue: LlmCallRecord[] = [];
    let live = false;
    const replayed: TravelLlm = (messages, purpose, signal) => {
      if (live) return llm(messages, purpose, signal);
      const next = queue.shift();
      if (!next || next.purpose !== purpose) {
        return Promise.reject(new LlmScriptError(`restore: the recorded calls do not fit (a ${purpose} call, recorded ${next?.purpose ?? 'none'})`));
      }
      return next.text !== undefined ? Promise.resolve(next.text) : Promise.reject(new Error(next.error ?? 'recorded failure'));
    };
    const gym = new TravelGym(task, config, replayed, prompts);
    const delay = gym.config.llmRetryDelayMs;
    gym.config.llmRetryDelayMs = 0;
    for (const [i, step] of steps.entries()) {
      queue = [...step.llmCalls];
      await gym.step(step.action);
      if (queue.length > 0) throw new LlmScriptError(`restore: step ${i} left ${queue.length} recorded call(s) unused`);
    }
    gym.config.llmRetryDelayMs = delay;
    live = true;
    return gym;
  }

  /** Starts the episode again (the generator is not reseeded, as TravelEnv.reset without a seed); returns the opening request. */
  reset(): string {
    this.stepCount = 0;
    this.episodeComplete = false;
    this.totalReward = 0;
    this.remaining = this.task.preferences.map((p) => ({ ...p }));
    this.elicited = [];
    this.history = [];
    this.searchTimes = 0;
    this.nonpreferenceTimes = 0;
    this.searchArguments = [...this.task.dimensions];
    this.remainingBest = [...this.task.bestIds];
    this.remainingCorrect = [...this.task.correctIds];
    this.choiceInitials = [];
    this.activeElicited = 0;
    this.passiveElicited = 0;
    this.searches = [];
    this.utterances = [];
    this.answers = [];
    return this.task.initialDesc;
  }

  get state(): TravelGymState {
    return {
      stepCount: this.stepCount,
      episodeComplete: this.episodeComplete,
      totalReward: this.totalReward,
      remainingPreferences: [...this.remaining],
      elicitedPreferences: [...this.elicited],
      searches: [...this.searches],
      utterances: [...this.utterances],
      answers: [...this.answers],
      remainingBestIds: [...this.remainingBest],
      searchTimes: this.searchTimes,
      activeElicited: this.activeElicited,
      passiveElicited: this.passiveElicited,
      history: this.history.map((h) => ({ ...h })),
    };
  }

  private ratio(): number {
    const total = this.remaining.length + this.elicited.length;
    return total === 0 ? 0 : this.elicited.length / total;
  }

  /** One `interact_with_env` call, already formatted as "[search] …", "[action] …" or "[answer] …". */
  async step(actionInput: string, signal?: AbortSignal): Promise<TravelStep> {
    if (this.episodeComplete) throw new TravelGymError('Episode is complete. Call reset() to start a new episode.');
    this.stepCount += 1;
    this.stepCalls = [];
    const action = pyStrip(actionInput);
    if (action.toLowerCase().startsWith('[finish]')) {
      this.episodeComplete = true;
      const total = this.remaining.length + this.elicited.length;
      const observation = `Session ended. You elicited ${this.elicited.length}/${total} preferences. Final elicitation ratio: ${pyPercent2(this.ratio())}`;
      return { observation, reward: 0, terminated: true, truncated: false, info: this.info('finish', [], actionInput) };
    }
    const ev = await this.evaluate(action, signal);
    const newly: string[] = [];
    for (const id of ev.elicited) {
      const pref = this.remaining.find((p) => p.id === id);
      if (pref) {
        newly.push(id);
        this.elicited.push(pref);
      }
    }
    this.remaining = this.remaining.filter((p) => !ev.elicited.includes(p.id));
    let reward = ev.reward * this.config.rewardScale - this.config.stepPenalty;
    if (this.config.normalizeRewards) reward = Math.max(0, Math.min(1, reward));
    this.totalReward += reward;
    let terminated = this.remainingBest.length === 0;
    const truncated = this.stepCount >= this.config.maxSteps;
    // Only the sync step ends once every aspect has an answer; step_async lacks this check.
    if (this.config.mode === 'sync' && this.config.oneChoicePerAspect && this.task.dimensions.length === this.choiceInitials.length) {
      terminated = true;
    }
    if (terminated || truncated) this.episodeComplete = true;
    return { observation: ev.feedback, reward, terminated, truncated, info: this.info(ev.kind, newly, actionInput) };
  }

  private info(kind: TravelStepInfo['kind'], newly: string[], action: string): TravelStepInfo {
    return {
      kind,
      action,
      llmCalls: [...this.stepCalls],
      stepCount: this.stepCount,
      newlyElicited: newly,
      activeElicited: this.activeElicited,
      passiveElicited: this.passiveElicited,
      totalPreferences: this.remaining.length + this.elicited.length,
      remainingPreferences: this.remaining.length,
      elicitationRatio: this.ratio(),
      totalReward: this.totalReward,
    };
  }

  private evaluate(action: string, signal?: AbortSignal): Promise<Evaluation> | Evaluation {
    if (action.startsWith('[search]')) return this.search(pyStrip(action.slice('[search]'.length)), signal);
    if (action.startsWith('[action]')) return this.utter(pyStrip(action.slice('[action]'.length)), signal);
    if (action.startsWith('[answer]')) return this.answer(pyStrip(action.slice('[answer]'.length)));
    return { feedback: FORMAT_WRONG, elicited: [], reward: 0, kind: 'format' };
  }

  /**
   * `model_call`: up to `llmAttempts` calls while the call itself fails, then
   * None; a reply is parsed once, and None when it holds no JSON (no retry).
   */
  private async modelCall(messages: TravelLlmMessage[], purpose: TravelLlmPurpose, signal?: AbortSignal): Promise<PyValue> {
    for (let attempt = 1; ; attempt++) {
      let text: string;
      try {
        text = await this.llm(messages, purpose, signal);
      } catch (err) {
        if (isAbort(err, signal) || err instanceof LlmScriptError) throw err;
        this.stepCalls.push({ purpose, error: errorMessage(err) });
        if (attempt >= this.config.llmAttempts) return null;
        await sleep(this.config.llmRetryDelayMs, signal);
        continue;
      }
      this.stepCalls.push({ purpose, text });
      return parseOutputAsJson(pyStrip(text))?.value ?? null;
    }
  }

  private async search(query: string, signal?: AbortSignal): Promise<Evaluation> {
    const done = (feedback: string, outcome: SearchOutcome, reward = 0, aspect?: string, logged = feedback): Evaluation => {
      this.history.push({ role: 'agent', content: query }, { role: 'database', content: logged });
      this.searches.push({ step: this.stepCount, query, outcome, ...(aspect !== undefined ? { aspect } : {}) });
      return { feedback, elicited: [], reward, kind: 'search' };
    };
    this.searchTimes += 1;
    if (this.searchTimes % this.config.searchFailureInterval === 0) return done(SEARCH_BACKEND_ERROR, 'backend-error');
    const judgment = await this.modelCall(searchJudgeMessages(this.prompts, query, this.task.arguments), 'search-judge', signal);
    // Every failed assert / KeyError / AttributeError in the original lands in the same except.
    if (judgment === null || !isDict(judgment) || !judgment.has('alignment_judgement')) return done(SEARCH_BACKEND_ERROR, 'backend-error');
    const verdict = judgment.get('alignment_judgement');
    if (verdict === 'False') return done(SEARCH_WRONG, 'wrong');
    if (verdict === 'N/A') return done(SEARCH_UNRELATED, 'unrelated');
    if (verdict !== 'True') return done(SEARCH_BACKEND_ERROR, 'backend-error');
    const rawAspect = judgment.get('alignment_aspect');
    if (typeof rawAspect !== 'string') return done(SEARCH_BACKEND_ERROR, 'backend-error');
    let aspect = pyStrip(rawAspect.toLowerCase());
    if (aspect === 'rental car' || aspect === 'car rental') aspect = 'rental_car';
    if (!this.task.dimensions.includes(aspect)) return done(SEARCH_BACKEND_ERROR, 'backend-error');
    if (!this.searchArguments.includes(aspect)) return done(searchRepeat(aspect), 'repeat', 0, aspect);
    removeFirst(this.searchArguments, aspect);
    const options = this.task.allOptions.get(aspect);
    const schemaText = Object.hasOwn(this.prompts.optionSchemas, aspect) ? this.prompts.optionSchemas[aspect] : undefined;
    // task["all_options"][aspect] / OPTION_SCHEMAS[aspect] raise KeyError (after the aspect was struck off).
    if (options === undefined || schemaText === undefined) return done(SEARCH_BACKEND_ERROR, 'backend-error');
    let feedback = `You have provided the correct search request arguments.\n\n${pyStrip(schemaText)}\n\nHere are all the options for <${aspect}>:\n`;
    for (const option of options) feedback += `${dumps(option)}\n`;
    feedback = pyStrip(feedback);
    const firstLine = feedback.split('\n')[0] ?? '';
    return done(feedback, 'results', this.config.searchCorrectReward, aspect, `${firstLine} ... (skip detailed results here) ...`);
  }

  /** The judge's verdict on an utterance; any failure is type "1" with the failure note. */
  private judgeVerdict(judgment: PyValue): { type: UtteranceType; note: string; reward: number; preference?: TravelPreference } {
    const failed = { type: 'judge-failed' as const, note: NOTE_JUDGE_FAILED, reward: 0 };
    if (judgment === null || !isDict(judgment) || !judgment.has('type')) return failed;
    const type = pyStrip(pyStr(judgment.get('type') ?? null));
    if (type === '1' || type === '3' || type === '4') return { type, note: NOTE_TYPE[type], reward: 0 };
    if (type !== '2') return failed;
    const id = judgment.get('preference_id');
    if (typeof id !== 'string') return failed;
    const preference = this.remaining.find((p) => p.id === pyStrip(id));
    if (!preference) return failed;
    return { type, note: noteType2(preference.id), reward: this.config.preferenceCorrectReward, preference };
  }

  private async utter(utterance: string, signal?: AbortSignal): Promise<Evaluation> {
    const judgment = await this.modelCall(
      utteranceJudgeMessages(this.prompts, this.task.scenario, this.history, utterance, this.remaining),
      'utterance-judge',
      signal,
    );
    const verdict = this.judgeVerdict(judgment);
    const record = (reply: string, extra: Partial<UtteranceRecord> = {}): void => {
      this.utterances.push({ step: this.stepCount, text: utterance, type: verdict.type, reply, ...extra });
    };
    const replied = (reply: string, note: string, elicited: string[], reward: number, extra: Partial<UtteranceRecord> = {}): Evaluation => {
      this.history.push({ role: 'agent', content: utterance, note }, { role: 'user', content: reply });
      record(reply, extra);
      return { feedback: reply, elicited, reward, kind: 'action' };
    };
    // The original's except branch: a canned reply, no reward, no reveal.
    const fallback = (extra: Partial<UtteranceRecord> = {}): Evaluation => replied(REPLY_FAILED, NOTE_REPLY_FAILED, [], 0, extra);
    const replyText = (v: PyValue): string | undefined => {
      if (v === null || !isDict(v) || !v.has('response')) return undefined;
      const r = v.get('response');
      return typeof r === 'string' ? pyStrip(r) : undefined;
    };
    const sync = this.config.mode === 'sync';
    const threshold = sync ? this.config.elicitationInterval - 1 : this.config.elicitationInterval;

    if (verdict.type === '2' && verdict.preference) {
      const pref = verdict.preference;
      this.nonpreferenceTimes = 0;
      this.activeElicited += 1;
      const text = replyText(await this.modelCall(revealMessages(this.prompts.responsePreference, pref, this.history, utterance), 'user-reply', signal));
      if (text === undefined) return fallback();
      return replied(text, verdict.note, [pref.id], verdict.reward, { revealed: pref.id });
    }
    if (this.nonpreferenceTimes >= threshold && this.remaining.length > 0) {
      this.nonpreferenceTimes = 0;
      this.passiveElicited += 1;
      const pref = this.random.choice(this.remaining);
      const answer = await this.modelCall(revealMessages(this.prompts.responseElicit, pref, this.history, utterance), 'user-reply', signal);
      if (!pyContains(answer, 'response')) return fallback({ volunteered: pref.id });
      if (!sync) {
        // prompt_async.py never assigns `response` here: the NameError lands in the except
        // after the agent turn was logged, so the reveal is lost.
        this.history.push({ role: 'agent', content: utterance, note: NOTE_VOLUNTEER });
        return fallback({ volunteered: pref.id });
      }
      const text = replyText(answer);
      if (text === undefined) return fallback({ volunteered: pref.id });
      return replied(text, NOTE_VOLUNTEER, [pref.id], verdict.reward, { revealed: pref.id, volunteered: pref.id });
    }
    if (verdict.type === '3' || verdict.type === '4') {
      this.nonpreferenceTimes += 1;
      return replied(verdict.type === '3' ? REPLY_TYPE3 : REPLY_TYPE4, verdict.note, [], verdict.reward);
    }
    this.nonpreferenceTimes += 1;
    const text = replyText(await this.modelCall(naturalMessages(this.prompts, this.history, utterance), 'user-reply', signal));
    if (text === undefined) return fallback();
    return replied(text, verdict.note, [], verdict.reward);
  }

  private answer(content: string): Evaluation {
    const ids = content.split(',').map(pyStrip);
    const done = (feedback: string, outcome: AnswerOutcome, reward: number): Evaluation => {
      this.answers.push({ step: this.stepCount, ids, outcome, reward });
      return { feedback, elicited: [], reward, kind: 'answer' };
    };
    const sync = this.config.mode === 'sync';
    if (sync && ids.length > 1) return done(ANSWER_MULTIPLE, 'multiple', 0);
    let reward = 0;
    let best = false;
    let correct = false;
    let wrong = false;
    for (const id of ids) {
      if (!isOptionId(id)) return done(answerInvalid(id), 'invalid', 0);
      const initial = id.charAt(0);
      if (this.config.oneChoicePerAspect && this.choiceInitials.includes(initial)) return done(answerRefused(initial), 'refused', 0);
      if (this.remainingBest.includes(id)) {
        reward += this.config.choiceBestReward;
        best = true;
        removeFirst(this.remainingBest, id);
        if (!removeFirst(this.remainingCorrect, id)) throw new TravelGymError(`ValueError: list.remove(x): x not in list (best id ${id} is not among correct_ids)`);
      } else if (this.remainingCorrect.includes(id)) {
        reward += this.config.choiceCorrectReward;
        correct = true;
        removeFirst(this.remainingCorrect, id);
      } else {
        reward -= this.config.wrongChoicePenalty;
        wrong = true;
      }
      if (!this.choiceInitials.includes(initial)) this.choiceInitials.push(initial);
      const aspect = INITIAL_ASPECT[initial];
      if (this.config.oneChoicePerAspect && aspect !== undefined) {
        // The aspect's unrevealed preferences are dropped (not revealed) from the same list.
        const kept = this.remaining.filter((p) => p.aspect !== aspect);
        this.remaining.splice(0, this.remaining.length, ...kept);
      }
    }
    reward = Math.max(reward, 0);
    if (sync) reward = Math.min(reward, 1);
    let feedback: string;
    let outcome: AnswerOutcome;
    if (best && !wrong) [feedback, outcome] = ['Your chosen options contain the best option!', 'best'];
    else if (best) [feedback, outcome] = ['Your chosen options contain the best option, but also contain some wrong options.', 'mixed'];
    else if (correct && !wrong) [feedback, outcome] = ['Your chosen options contain the correct option, but not the best option.', 'correct'];
    else if (correct) [feedback, outcome] = ['Your chosen options contain the correct option, but not the best option, and also contain some wrong options.', 'mixed'];
    else [feedback, outcome] = ['Your chosen options do not contain any of the best or correct options.', 'wrong'];
    feedback += this.config.oneChoicePerAspect
      ? ' Your choice is recorded and do not choose options of this travel aspect again. Please continue your interaction and reasoning focusing on other travel aspects.'
      : ' Your choice is recorded and do not choose these options again. Please continue your interaction and reasoning.';
    return done(feedback, outcome, reward);
  }
}

/** eval.py's formatting of a tool call into the env action: the `[choice]` prefix unless the content has it. */
export function formatAction(choice: string, content: string): string {
  for (const c of ['action', 'answer', 'search']) {
    if (choice === c && !content.startsWith(`[${c}]`)) return `[${c}] ${content}`;
  }
  return content;
}
