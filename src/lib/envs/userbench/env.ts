/**
 * A UserBench (TravelGym) task as Spotter's `Env` and `UserSide`, behaving as
 * eval.py's rollout drives `TravelEnv.step_async`:
 * - the system prompt and first user message come from the task index row;
 * - every turn the agent must call `interact_with_env(thought, choice, content)`
 *   (tool_choice "required"); the content, prefixed with `[choice]` unless it
 *   already is, goes to the gym; its feedback is the tool result;
 * - arguments without thought/choice/content, a reply without a tool call, or
 *   a gym failure end the rollout with the rewards so far (eval.py catches the
 *   exception); the gym's terminated/truncated end it too;
 * - each turn's reward is recorded on the step (eval.py's reward list).
 * The episode's reward is 1 when the best option was found for every aspect,
 * else 0, so pass^k means "best for every aspect in all k trials".
 */
import type { ToolCall, ToolSchema } from '../../contracts.ts';
import { errorMessage, isAbort } from '../../errors.ts';
import type { Env, RewardInfo, ToolResult, UserSide, UserTurn } from '../env-interface.ts';
import { formatAction, type TravelGym, type TravelStep } from './gym.ts';
import type { RecordingTravelLlm } from './recording-llm.ts';

interface UserBenchEnvInit {
  id: string;
  /** The task index row's system message. */
  policy: string;
  tool: ToolSchema;
  gym: TravelGym;
  /** The recorder the gym's LLM calls go through (its outputs are kept on each step). */
  llm: RecordingTravelLlm;
}

/** The gym's action text for a tool call's arguments; throws where eval.py's asserts (or str methods) fail. */
function actionFromArguments(args: Record<string, unknown>): string {
  if (!('choice' in args && 'content' in args && 'thought' in args)) {
    throw new Error(`Invalid response: ${JSON.stringify(args)}`);
  }
  const { choice, content } = args;
  if (typeof content !== 'string') throw new Error(`the content is not a string (${JSON.stringify(content)})`);
  return formatAction(typeof choice === 'string' ? choice : '', content);
}

interface UserBenchEnv extends Env {
  readonly turnRewards: readonly number[];
}

export function createUserBenchEnv(init: UserBenchEnvInit): UserBenchEnv {
  const turnRewards: number[] = [];
  let over = false;
  const end = (observation: string, info: Record<string, unknown>): ToolResult => {
    over = true;
    return { observation, endsEpisode: true, info };
  };
  return {
    id: init.id,
    policy: init.policy,
    tools: [init.tool],
    toolChoice: 'required',
    turnRewards,
    async execute(call: ToolCall, signal?: AbortSignal): Promise<ToolResult> {
      if (over) return end('The episode is over.', { ended: 'over' });
      // eval.py reads the first tool call's arguments whatever its name.
      let action: string;
      try {
        action = actionFromArguments(call.arguments);
      } catch (err) {
        return end(`Error: ${errorMessage(err)}. The rollout ends here, as in eval.py.`, { ended: 'invalid-arguments' });
      }
      init.llm.beginStep();
      let step: TravelStep;
      try {
        step = await init.gym.step(action, signal);
      } catch (err) {
        const llm = init.llm.endStep();
        if (isAbort(err, signal)) throw err;
        return end(`Error: ${errorMessage(err)}. The rollout ends here, as in eval.py.`, { ended: 'gym-error', action, llm });
      }
      const llm = init.llm.endStep();
      turnRewards.push(step.reward);
      const ends = step.terminated || step.truncated;
      if (ends) over = true;
      return {
        observation: step.observation,
        reward: step.reward,
        ...(ends ? { endsEpisode: true } : {}),
        info: { action, terminated: step.terminated, truncated: step.truncated, ...turnRecord(init.gym, step), llm },
      };
    },
    reward(): RewardInfo {
      const s = init.gym.state;
      const aspects = init.gym.task.bestIds.length;
      const best = s.remainingBestIds.length === 0 && aspects > 0;
      return {
        reward: best ? 1 : 0,
        details: {
          best_for_every_aspect: best,
          best_found: aspects - s.remainingBestIds.length,
          aspects,
          turn_rewards: [...turnRewards],
          micro_max: turnRewards.length ? Math.max(...turnRewards) : 0,
          searches: s.searches.length,
          answers: s.answers.map((a) => ({ ids: a.ids, outcome: a.outcome, reward: a.reward })),
          active_elicited_preferences: s.activeElicited,
          passive_elicited_preferences: s.passiveElicited,
          elicited: s.elicitedPreferences.map((p) => p.id),
        },
      };
    },
  };
}

/**
 * What the trace keeps of a turn for display: the gym's info, and the record
 * this turn added (the search, the utterance with its judged type and any
 * revealed preference, or the answer and its verdict).
 */
function turnRecord(gym: TravelGym, step: TravelStep): Record<string, unknown> {
  const s = gym.state;
  const at = s.stepCount;
  const search = s.searches.find((r) => r.step === at);
  const utterance = s.utterances.find((r) => r.step === at);
  const answer = s.answers.find((r) => r.step === at);
  const revealed = (Array.isArray(step.info['newlyElicited']) ? step.info['newlyElicited'] : []).flatMap((id) => {
    const p = s.elicitedPreferences.find((x) => x.id === id);
    return p ? [{ id: p.id, aspect: p.aspect, preference: p.preference }] : [];
  });
  return {
    ...step.info,
    ...(search ? { search: { ...search } } : {}),
    ...(utterance ? { utterance: { ...utterance } } : {}),
    ...(answer ? { answer: { ...answer } } : {}),
    ...(revealed.length ? { revealed } : {}),
    best_remaining: s.remainingBestIds.length,
  };
}

/** Told to the trace when the agent answers without calling the tool: eval.py fails the rollout there. */
export const NO_TOOL_CALL_NOTE = '(The agent replied without calling interact_with_env; as in eval.py, the episode ends here.)';

/**
 * The task's opening user message (the row's user prompt: the vague request
 * plus the budget sentence). The simulated user speaks only through the gym's
 * feedback, so a plain message from the agent ends the episode.
 */
export class UserBenchOpening implements UserSide {
  readonly kind: 'human' | 'simulated';
  constructor(
    private readonly opening: string,
    kind: 'human' | 'simulated' = 'simulated',
  ) {
    this.kind = kind;
  }
  first(): Promise<UserTurn> {
    return Promise.resolve({ content: this.opening, stop: false });
  }
  reply(): Promise<UserTurn> {
    return Promise.resolve({ content: NO_TOOL_CALL_NOTE, stop: true });
  }
}
