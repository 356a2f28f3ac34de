/**
 * TravelGym rules on the three real sample scenarios, LLM texts scripted.
 * (parity.test.ts checks the same against the original Python byte for byte.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AbortedError, ProviderError } from '../../errors.ts';
import { dumps } from '../tau-bench/py.ts';
import { TravelGym, TravelGymError, formatAction, type RecordedTravelStep, type TravelGymConfig } from './gym.ts';
import { ScriptedTravelLlm, humanUserReply, type TravelLlm } from './llm.ts';
import { loadPrompts, loadScenarios } from './pack.ts';
import { defaultUserBenchDir, nodePackSource } from './pack-node.ts';
import type { UserBenchPrompts } from './prompts.ts';
import type { TravelTask } from './task.ts';

let prompts: UserBenchPrompts;
const tasks: Record<string, TravelTask> = {};
const FILES = {
  t272: 'testtask272_flight_apartment.json', // apartment A17 | flight F2
  t733: 'testtask733_rentalcar_restaurant.json', // rental_car C18 | restaurant R20
  t2330: 'testtask2330_hotel_restaurant_flight.json', // restaurant R5 | flight F16 | hotel H12
};

beforeAll(async () => {
  const source = nodePackSource(defaultUserBenchDir());
  prompts = await loadPrompts(source);
  for (const [k, f] of Object.entries(FILES)) {
    const [task] = (await loadScenarios(source, [`scenarios/${f}`])).values();
    if (task) tasks[k] = task;
  }
});

function gymFor(key: keyof typeof FILES, config: Partial<TravelGymConfig> = {}) {
  const task = tasks[key];
  if (!task) throw new Error('sample not loaded');
  const llm = new ScriptedTravelLlm();
  const gym = new TravelGym(task, { llmRetryDelayMs: 0, ...config }, llm.call, prompts);
  const step = async (action: string, ...texts: string[]) => {
    llm.load(texts);
    const r = await gym.step(action);
    expect(llm.remaining).toBe(0);
    return r;
  };
  return { gym, llm, step, task };
}

const judgeSearch = (aspect: string, verdict = 'True') => JSON.stringify({ alignment_judgement: verdict, alignment_aspect: aspect });
const judgeType = (type: string, preference_id?: string) => JSON.stringify({ type, ...(preference_id ? { preference_id } : {}) });
const userSays = (text: string) => `\`\`\`json\n${JSON.stringify({ thought: 't', response: text })}\n\`\`\``;

describe('search', () => {
  it('a first correct search per aspect gives 0.2 and every option as json.dumps lines; a repeat gives 0', async () => {
    const { step, task, llm } = gymFor('t733');
    const r = await step('[search] rental car in Lisbon', judgeSearch('Car Rental'));
    expect(r.reward).toBe(0.2);
    const lines = r.observation.split('\n');
    expect(lines[0]).toBe('You have provided the correct search request arguments.');
    expect(r.observation).toContain('Here are all the options for <rental_car>:\n');
    const optionLines = lines.slice(lines.indexOf('Here are all the options for <rental_car>:') + 1);
    expect(optionLines).toEqual((task.allOptions.get('rental_car') ?? []).map((o) => dumps(o)));
    expect(optionLines).toHaveLength(18);
    // The search judge sees every aspect's ground truth, json.dumps(indent=4).
    expect(llm.calls[0]?.messages[1]?.content).toContain('Aspect Name: rental_car\n{\n    "');
    const again = await step('[search] rental car again', judgeSearch('rental_car'));
    expect(again.reward).toBe(0);
    expect(again.observation).toMatch(/already got the search results for <rental_car>/);
  });

  it('keeps non-ASCII option text escaped as json.dumps(ensure_ascii=True) writes it', async () => {
    const { step } = gymFor('t733');
    const r = await step('[search] restaurant', judgeSearch('restaurant'));
    expect(r.observation).toMatch(/\\u00[0-9a-f]{2}/);
    expect([...r.observation].every((ch) => ch.charCodeAt(0) < 0x80)).toBe(true);
  });

  it('a wrong or unrelated search gives 0 with the original messages', async () => {
    const { step } = gymFor('t272');
    expect((await step('[search] x', JSON.stringify({ alignment_judgement: 'False' }))).observation).toMatch(/^There's something wrong within your searching request/);
    expect((await step('[search] y', JSON.stringify({ alignment_judgement: 'N/A' }))).observation).toMatch(/not related to any of the ground truth/);
  });

  it('every 5th search fails on purpose without asking the judge', async () => {
    const { step, llm, gym } = gymFor('t272');
    for (let i = 0; i < 4; i++) await step('[search] q', JSON.stringify({ alignment_judgement: 'False' }));
    const calls = llm.calls.length;
    const fifth = await step('[search] flight', /* no judge text */);
    expect(fifth.observation).toBe('Currently the searching backend is experiencing some issues. Please try again later.');
    expect(fifth.reward).toBe(0);
    expect(llm.calls.length).toBe(calls);
    expect(gym.state.searches.at(-1)?.outcome).toBe('backend-error');
    expect((await step('[search] flight', judgeSearch('flight'))).reward).toBe(0.2);
  });

  it('a judge reply that is not JSON, or an aspect not in the task, counts as the backend error', async () => {
    const { step } = gymFor('t272');
    expect((await step('[search] q', 'I think this is right')).observation).toMatch(/^Currently the searching backend/);
    expect((await step('[search] q', judgeSearch('hotel'))).observation).toMatch(/^Currently the searching backend/);
    expect((await step('[search] q', JSON.stringify({ alignment_judgement: true, alignment_aspect: 'flight' }))).reward).toBe(0);
  });
});

describe('utterances', () => {
  it('type 2 reveals the preference with 0.2; the reply is stripped', async () => {
    const { step, gym } = gymFor('t272');
    const r = await step('[action] Would you like a meal on the plane?', judgeType('2', 'P3'), userSays('  Food makes flights feel like home.  '));
    expect(r.reward).toBe(0.2);
    expect(r.observation).toBe('Food makes flights feel like home.');
    expect(gym.state.elicitedPreferences.map((p) => p.id)).toEqual(['P3']);
    expect(gym.state.remainingPreferences.map((p) => p.id)).toEqual(['P1', 'P2', 'P4']);
    expect(r.info.newlyElicited).toEqual(['P3']);
  });

  it('a person in the user seat: their words come back as the observation, and a type 2 still reveals', async () => {
    const { step, gym } = gymFor('t272');
    const r = await step('[action] Meal on board?', judgeType('2', 'P3'), humanUserReply(' Yes, {"food"} ```json``` please '));
    expect(r.observation).toBe('Yes, {"food"} ```json``` please');
    expect(gym.state.elicitedPreferences.map((p) => p.id)).toEqual(['P3']);
  });

  it('type 3 and type 4 get the canned replies without a user call; type 1 asks the user', async () => {
    const { step, llm } = gymFor('t272');
    expect((await step('[action] pool?', judgeType('3'))).observation).toMatch(/^This is a good question. However, I do not have specific preference/);
    expect((await step('[action] any preferences?', judgeType('4'))).observation).toMatch(/^Your question is too vague and general/);
    expect(llm.calls.map((c) => c.purpose)).toEqual(['utterance-judge', 'utterance-judge']);
    const r = await step('[action] nice weather', judgeType('1'), userSays('Sure.'));
    expect(r.observation).toBe('Sure.');
    expect(llm.calls.at(-1)?.purpose).toBe('user-reply');
  });

  it('a judge reply that is not JSON is a normal turn (type 1); a bad user reply gets the fallback text', async () => {
    const { step, gym } = gymFor('t2330');
    const r = await step('[action] hello', 'The agent asks about food.', userSays('Hi.'));
    expect(r.observation).toBe('Hi.');
    expect(gym.state.utterances[0]?.type).toBe('judge-failed');
    const bad = await step('[action] and?', judgeType('2', 'P1'), 'no JSON here');
    expect(bad.observation).toBe("I'm sorry, I'm not sure how to respond to your latest utterance right now. Please try again.");
    expect(bad.reward).toBe(0);
    expect(gym.state.remainingPreferences.some((p) => p.id === 'P1')).toBe(true);
    expect(gym.state.activeElicited).toBe(1); // counted before the failed reply, as the original does
  });

  it('a type 2 naming a revealed or unknown preference is a failed judgment', async () => {
    const { step } = gymFor('t272');
    await step('[action] meal?', judgeType('2', 'P3'), userSays('Yes.'));
    const again = await step('[action] meal again?', judgeType('2', 'P3'), userSays('Fine.'));
    expect(again.reward).toBe(0);
  });

  it('judge output is parsed as parse_output_as_json: fenced, embedded in text, NaN accepted', async () => {
    const { step } = gymFor('t272');
    expect((await step('[action] a', `Verdict:\n\`\`\`json\n${judgeType('2', 'P1')}\n\`\`\``, userSays('ok'))).reward).toBe(0.2);
    expect((await step('[action] b', `I say ${judgeType('2', 'P2')} indeed`, userSays('ok'))).reward).toBe(0.2);
    expect((await step('[action] c', '{"type": NaN}', userSays('ok'))).observation).toBe('ok');
  });
});

describe('unprompted reveal', () => {
  it('sync: on the 3rd off-topic turn the user volunteers a random remaining preference (no reward)', async () => {
    const { step, gym } = gymFor('t2330', { mode: 'sync', seed: 3 });
    await step('[action] a', judgeType('1'), userSays('a'));
    await step('[action] b', judgeType('3'));
    const r = await step('[action] c', judgeType('4'), userSays('By the way, I never eat before noon.'));
    expect(r.observation).toBe('By the way, I never eat before noon.');
    expect(r.reward).toBe(0);
    expect(gym.state.elicitedPreferences).toHaveLength(1);
    expect(gym.state.passiveElicited).toBe(1);
    expect(gym.state.utterances.at(-1)?.volunteered).toBe(gym.state.elicitedPreferences[0]?.id);
  });

  it('async (eval.py): fires one turn later, and the reveal is lost to the original NameError', async () => {
    const { step, gym } = gymFor('t2330', { mode: 'async', seed: 3 });
    await step('[action] a', judgeType('1'), userSays('a'));
    await step('[action] b', judgeType('3'));
    expect((await step('[action] c', judgeType('4'))).observation).toMatch(/^Your question is too vague/);
    const r = await step('[action] d', judgeType('1'), userSays('By the way, I never eat before noon.'));
    expect(r.observation).toBe("I'm sorry, I'm not sure how to respond to your latest utterance right now. Please try again.");
    expect(gym.state.elicitedPreferences).toHaveLength(0);
    expect(gym.state.remainingPreferences).toHaveLength(10);
    expect(gym.state.passiveElicited).toBe(1);
    // The agent turn is logged twice (volunteer note, then the fallback note), as the original's history shows.
    expect(gym.state.history.slice(-3).map((h) => h.role)).toEqual(['agent', 'agent', 'user']);
  });

  it('the seed decides which preference is volunteered (CPython random.choice)', async () => {
    const picks = new Set<string>();
    for (const seed of [0, 1, 2, 3, 4, 5]) {
      const { step, gym } = gymFor('t2330', { mode: 'sync', seed });
      await step('[action] a', judgeType('3'));
      await step('[action] b', judgeType('3'));
      await step('[action] c', judgeType('3'), userSays('x'));
      picks.add(gym.state.elicitedPreferences[0]?.id ?? '');
    }
    expect(picks.size).toBeGreaterThan(1);
  });
});

describe('answers', () => {
  it('best 1.0, correct 0.8, wrong 0, invalid format 0', async () => {
    const { step } = gymFor('t272');
    expect((await step('[answer] F4')).reward).toBe(0.8);
    expect((await step('[answer] A5')).observation).toMatch(/^Your chosen options do not contain any of the best or correct options\./);
    expect((await step('[answer] flight F2')).observation).toBe("Invalid option ID format detected for 'flight F2'. Expected format: H1, F12, C4, etc.");
    const best = await step('[answer] F2');
    expect(best.reward).toBe(1);
    expect(best.observation).toBe(
      'Your chosen options contain the best option! Your choice is recorded and do not choose these options again. Please continue your interaction and reasoning.',
    );
  });

  it('the episode terminates once every best id is found', async () => {
    const { step } = gymFor('t272');
    expect((await step('[answer] A17')).terminated).toBe(false);
    const last = await step('[answer] F2');
    expect(last.terminated).toBe(true);
  });

  it('async takes several ids and sums without the clip at 1.0; sync refuses them', async () => {
    const a = gymFor('t733');
    const r = await a.step('[answer] C18, R4');
    expect(r.reward).toBeCloseTo(1.8, 12);
    const s = gymFor('t733', { mode: 'sync' });
    expect((await s.step('[answer] C18, R4')).observation).toBe('You have chosen multiple options. Please choose only one option at a time.');
  });

  it('one choice per aspect: a second answer for the aspect is refused and its unrevealed preferences dropped', async () => {
    const { step, gym } = gymFor('t272', { oneChoicePerAspect: true });
    const first = await step('[answer] F4');
    expect(first.observation).toMatch(/do not choose options of this travel aspect again/);
    expect(gym.state.remainingPreferences.map((p) => p.dimension)).toEqual(['apartment', 'apartment']);
    const again = await step('[answer] F2');
    expect(again.reward).toBe(0);
    expect(again.observation).toBe(
      "You have already recommended an option with the same initial 'F'. You are allowed to recommend only one option per traveling aspect. Please focus on the search, user preference, and option recommendation on other traveling aspects now.",
    );
  });

  it('one choice per aspect ends the sync episode after one answer per aspect, not the async one', async () => {
    const s = gymFor('t272', { oneChoicePerAspect: true, mode: 'sync' });
    await s.step('[answer] F4');
    expect((await s.step('[answer] A3')).terminated).toBe(true);
    const a = gymFor('t272', { oneChoicePerAspect: true, mode: 'async' });
    await a.step('[answer] F4');
    expect((await a.step('[answer] A3')).terminated).toBe(false);
  });

  it('a best id missing from correct_ids raises as list.remove does', async () => {
    const { task } = gymFor('t272');
    const broken = new TravelGym({ ...task, correctIds: task.correctIds.filter((id) => id !== 'F2') }, {}, new ScriptedTravelLlm().call, prompts);
    await expect(broken.step('[answer] F2')).rejects.toThrow(TravelGymError);
  });
});

describe('episode', () => {
  it('truncates at max_steps and refuses further steps', async () => {
    const { step, gym } = gymFor('t272', { maxSteps: 3 });
    await step('[answer] A5');
    expect((await step('[nonsense]')).observation).toBe('Your response format is wrong and cannot be parsed properly.');
    const last = await step('[answer] A6');
    expect(last.truncated).toBe(true);
    expect(last.terminated).toBe(false);
    await expect(gym.step('[answer] A17')).rejects.toThrow(/Episode is complete/);
    expect(gym.reset()).toBe(gym.task.initialDesc);
    expect(gym.state.stepCount).toBe(0);
  });

  it('[finish] ends with the elicitation ratio as f"{x:.2%}"', async () => {
    const { step } = gymFor('t733');
    await step('[action] cuisine?', judgeType('2', 'P4'), userSays('I love noodles.'));
    const r = await step('  [FINISH] bye');
    expect(r.observation).toBe('Session ended. You elicited 1/6 preferences. Final elicitation ratio: 16.67%');
    expect(r.terminated).toBe(true);
  });

  it('formats a tool call as eval.py does', () => {
    expect(formatAction('search', 'flights')).toBe('[search] flights');
    expect(formatAction('answer', '[answer] F2')).toBe('[answer] F2');
    expect(formatAction('finish', '[finish]')).toBe('[finish]');
  });
});

describe('the LLM call (model_call)', () => {
  it('retries a failing call up to 3 times, then counts it as no answer', async () => {
    const task = tasks.t272;
    if (!task) throw new Error('sample not loaded');
    let calls = 0;
    const failing: TravelLlm = () => {
      calls++;
      return Promise.reject(new ProviderError('HTTP 500', 500, true));
    };
    const gym = new TravelGym(task, { llmRetryDelayMs: 0 }, failing, prompts);
    const r = await gym.step('[search] flight');
    expect(r.observation).toMatch(/^Currently the searching backend/);
    expect(calls).toBe(3);
  });

  it('an abort during the pause between tries stops the step', async () => {
    const task = tasks.t272;
    if (!task) throw new Error('sample not loaded');
    const controller = new AbortController();
    const failing: TravelLlm = () => {
      setTimeout(() => controller.abort(), 5);
      return Promise.reject(new ProviderError('HTTP 503', 503, true));
    };
    const gym = new TravelGym(task, { llmRetryDelayMs: 60_000 }, failing, prompts);
    await expect(gym.step('[search] flight', controller.signal)).rejects.toThrow(AbortedError);
  });

  it('an abort stops the step instead of counting as a failure', async () => {
    const task = tasks.t272;
    if (!task) throw new Error('sample not loaded');
    const controller = new AbortController();
    const aborting: TravelLlm = () => {
      controller.abort();
      return Promise.reject(new AbortedError());
    };
    const gym = new TravelGym(task, {}, aborting, prompts);
    await expect(gym.step('[action] hi', controller.signal)).rejects.toThrow(AbortedError);
  });
});

describe('restore after a reload', () => {
  it('replays the recorded steps and calls, then goes on exactly as the original gym', async () => {
    const task = tasks.t2330;
    if (!task) throw new Error('sample not loaded');
    const script: [string, string[]][] = [
      ['[search] hotel', [judgeSearch('hotel')]],
      ['[action] a', [judgeType('1'), userSays('a')]],
      ['[action] b', [judgeType('3')]],
      ['[action] c', [judgeType('4'), userSays('I always travel with my dog.')]], // sync: volunteered, random draw
      ['[action] d', ['not json', userSays('hm')]],
    ];
    const config = { mode: 'sync' as const, seed: 11, llmRetryDelayMs: 0 };
    const flaky = new ScriptedTravelLlm();
    let failOnce = true;
    const llm: TravelLlm = (m, p, s) => {
      if (failOnce && p === 'search-judge') {
        failOnce = false;
        return Promise.reject(new ProviderError('HTTP 502', 502, true));
      }
      return flaky.call(m, p, s);
    };
    const original = new TravelGym(task, config, llm, prompts);
    const recorded: RecordedTravelStep[] = [];
    for (const [action, texts] of script) {
      flaky.load(texts);
      const r = await original.step(action);
      recorded.push({ action: r.info.action, llmCalls: r.info.llmCalls });
    }
    expect(recorded[0]?.llmCalls).toEqual([{ purpose: 'search-judge', error: 'HTTP 502' }, { purpose: 'search-judge', text: judgeSearch('hotel') }]);
    const next = new ScriptedTravelLlm();
    const restored = await TravelGym.restore(task, config, next.call, prompts, recorded);
    expect(restored.state).toEqual(original.state);
    for (const gym of [original, restored]) {
      const llmNow = gym === original ? flaky : next;
      for (let i = 0; i < 3; i++) {
        llmNow.load([judgeType('1'), userSays(`x${i}`)]);
        await gym.step(`[action] more ${i}`);
      }
    }
    expect(restored.state).toEqual(original.state);
    expect(restored.state.elicitedPreferences.length).toBe(2);
  });

  it('refuses records that do not fit the steps', async () => {
    const task = tasks.t272;
    if (!task) throw new Error('sample not loaded');
    await expect(TravelGym.restore(task, {}, new ScriptedTravelLlm().call, prompts, [{ action: '[action] hi', llmCalls: [] }])).rejects.toThrow(/restore/);
  });
});

