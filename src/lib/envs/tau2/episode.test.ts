/**
 * τ³-bench episodes end to end under the loop: the environment factory builds the task from a spec, a
 * scripted actor plays the task's actions, the original's user simulator runs on a scripted model, and
 * the episode's reward (with its breakdown) comes from the port's evaluator. Real tasks and databases
 * from ../shared/tau2-bench (airline's db.json rebuilt by `npm run fixtures`).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ScriptedActorDouble, type ActorStep } from '../../../../tests/doubles/scripted-doubles.ts';
import { tau2DataReady, tau2TestPacks } from '../../../../tests/tau2-packs.ts';
import { runEpisode } from '../../loop/run-episode.ts';
import type { LoopEvent } from '../../loop/events.ts';
import { buildEnvironment } from '../../setup/environments.ts';
import type { Tau2Domain, Tau2Split } from '../environment.ts';
import { tau2TaskOf } from './pack.ts';
import { toJs } from '../tau-bench/py.ts';
import type { Action } from '../../contracts.ts';
import { FIRST_AGENT_MESSAGE } from './orchestrator.ts';
import { userSystemPrompt } from './user.ts';
import type { Tau2Action } from './tasks.ts';

const ready = tau2DataReady;
const packs = tau2TestPacks();

const toolCall = (a: Tau2Action, i: number): Action => ({
  kind: 'tool_call',
  call: { id: `call_${i}`, name: a.name, arguments: z.record(z.string(), z.unknown()).parse(toJs(a.arguments)) },
});
const say = (content: string): Action => ({ kind: 'message', content });

/** Runs one episode: the agent plays `agent`, the user model answers each agent message from `user`. */
async function episode(domain: Tau2Domain, split: Tau2Split, taskIndex: number, agent: ActorStep[], user: ActorStep[]) {
  const userModel = new ScriptedActorDouble(user);
  const { env, user: side } = await buildEnvironment({ environment: { family: 'tau2', domain }, split, taskIndex, maxSteps: 30, userModel: () => userModel }, packs);
  if (!side) throw new Error('no simulated user');
  const events: LoopEvent[] = [];
  const actor = new ScriptedActorDouble(agent);
  const cfg = {
    episodeId: 'e1',
    env,
    user: side,
    actor,
    mode: 'off' as const,
    maxRevisions: 0,
    failureRule: 'fail-open' as const,
    maxSteps: 30,
    criticTimeoutMs: 1000,
    meta: { environment: { family: 'tau2' as const, domain } },
  };
  for await (const e of runEpisode(cfg, new AbortController().signal)) events.push(e);
  const end = events.at(-1);
  if (end?.type !== 'episode_end') throw new Error('no episode_end');
  return { end, events, userModel, actor };
}

describe.skipIf(!ready)('τ³ episode under the loop', () => {
  it('reaches reward 1 on a real retail task when the agent plays its gold actions, and 0 when it leaves the return out', async () => {
    const pack = await packs.tau2('retail');
    const task = tau2TaskOf(pack, 'test', 0);
    const gold = task.criteria?.actions ?? [];
    expect(gold.length).toBeGreaterThan(2);
    const userLines = (n: number): ActorStep[] => [...Array.from({ length: n }, () => say('Yes, please go ahead.')), say('Thanks, that is all. ###STOP###')];

    const good = await episode('retail', 'test', 0, [...gold.map(toolCall), say('Your return is processed.')], userLines(1));
    expect(good.end.outcome).toBe('done');
    expect(good.end.reward).toBe(1);
    expect(good.end.rewardDetails).toMatchObject({ taskId: task.id, breakdown: { DB: 1, NL_ASSERTION: 1 }, dbMatch: true, notJudged: false });
    // The user simulator's prompt is the original's, with this task's scenario; it answered the greeting first.
    const firstAsk = good.userModel.requests[0];
    expect(firstAsk?.system).toBe(userSystemPrompt(task.userInstructions, false));
    expect(firstAsk?.system).toContain('<scenario>\nInstructions:\n\tDomain: retail\n');
    expect(firstAsk?.messages).toEqual([{ role: 'user', content: FIRST_AGENT_MESSAGE }]);
    expect(firstAsk?.tools).toEqual([]);

    const wrong = await episode('retail', 'test', 0, [...gold.slice(0, -1).map(toolCall), say('Your return is processed.')], userLines(1));
    expect(wrong.end.outcome).toBe('done');
    expect(wrong.end.reward).toBe(0);
    expect(wrong.end.rewardDetails).toMatchObject({ breakdown: { DB: 0, NL_ASSERTION: 1 }, dbMatch: false });
  });

  it('scores an airline task on DB and COMMUNICATE, and a wrong argument makes DB 0', async () => {
    const pack = await packs.tau2('airline');
    const task = tau2TaskOf(pack, 'test', 2);
    const gold = task.criteria?.actions ?? [];
    const ok = await episode('airline', 'test', 2, [...gold.map(toolCall), say('Done.')], [say('ok'), say('###STOP###')]);
    expect(ok.end.reward).toBe(1);
    expect(ok.end.rewardDetails).toMatchObject({ breakdown: { DB: 1, COMMUNICATE: 1 } });

    const bent = gold.map((a, i) => toolCall(a, i));
    const tools = pack.makeEnv().tools;
    const lastWrite = bent.findLastIndex((a) => a.kind === 'tool_call' && tools.get(a.call.name)?.mutates === true);
    const w = bent[lastWrite];
    if (w?.kind !== 'tool_call') throw new Error('no write action');
    const firstKey = Object.keys(w.call.arguments)[0] ?? 'x';
    bent[lastWrite] = { kind: 'tool_call', call: { ...w.call, arguments: { ...w.call.arguments, [firstKey]: 'NOPE' } } };
    const bad = await episode('airline', 'test', 2, [...bent, say('Done.')], [say('ok'), say('###STOP###')]);
    expect(bad.end.reward).toBe(0);
    expect(bad.end.rewardDetails).toMatchObject({ breakdown: { DB: 0, COMMUNICATE: 1 } });
    // The failed call's observation is the original's error text.
    const steps = bad.events.flatMap((e) => (e.type === 'step' ? [e.step] : []));
    expect(steps[lastWrite]?.observation).toMatch(/^Error: /);
  });

  it('a task whose basis needs the NL judge is "not judged" without one: no reward, never a silent pass', async () => {
    const pack = await packs.tau2('retail');
    const task = tau2TaskOf(pack, 'test', 9);
    expect(task.criteria?.nlAssertions.length).toBeGreaterThan(0);
    const gold = task.criteria?.actions ?? [];
    const r = await episode('retail', 'test', 9, [...gold.map(toolCall), say('All done.')], [say('Hi.'), say('###STOP###')]);
    expect(r.end.outcome).toBe('done');
    expect(r.end.reward).toBeUndefined();
    expect(r.end.rewardDetails).toMatchObject({ notJudged: true, nlAssertions: 'not judged', breakdown: { DB: 1, NL_ASSERTION: null } });
  });

  it('the agent ending with ###STOP### ends the episode without asking the user model', async () => {
    const r = await episode('retail', 'test', 0, [say('Goodbye. ###STOP###')], [say('Hi, I need help.')]);
    expect(r.end.outcome).toBe('done');
    expect(r.userModel.requests).toHaveLength(1);
    expect(r.end.reward).toBe(0);
  });

  it('telecom with dual control: the simulated user acts on its phone as the gold actions say, and ENV_ASSERTION holds; without its action it fails', async () => {
    const pack = await packs.tau2('telecom');
    // small task 2: the agent enables roaming on the line, the user turns data roaming on on the phone.
    const task = tau2TaskOf(pack, 'small', 2);
    const gold = task.criteria?.actions ?? [];
    expect(gold.map((a) => a.requestor)).toEqual(['assistant', 'user']);
    const [agentAct, userAct] = gold;
    if (!agentAct || !userAct) throw new Error('no gold');
    const run = (userDoes: boolean) =>
      episode(
        'telecom',
        'small',
        2,
        [toolCall(agentAct, 0), say('Roaming is enabled on your line. Please turn on data roaming on your phone.'), say('You are all set.')],
        [say('My mobile data does not work abroad.'), ...(userDoes ? [toolCall(userAct, 1)] : []), say('Done, it is on.'), say('Thanks! ###STOP###')],
      );
    const good = await run(true);
    expect(good.end.outcome).toBe('done');
    expect(good.end.rewardDetails).toMatchObject({ breakdown: { ENV_ASSERTION: 1 }, userActions: [{ name: userAct.name, error: false }] });
    expect(good.end.reward).toBe(1);
    // The user model had the phone's tools, and saw its own call's result before it spoke.
    expect(good.userModel.requests[1]?.tools.map((t) => t.function.name)).toContain(userAct.name);
    expect(good.userModel.requests[2]?.messages.at(-1)).toMatchObject({ role: 'tool', name: userAct.name });
    // The loop stored the phone call as it ran, within the user's turn: after the agent's request, before the user's words.
    const order = good.events.flatMap((e) => (e.type === 'user' || e.type === 'step' ? [e.type] : e.type === 'user_tool' ? [`user_tool:${e.call.name}:${e.error}`] : []));
    expect(order).toEqual(['user', 'step', 'step', `user_tool:${userAct.name}:false`, 'user', 'step', 'user']);
    // The agent never saw it: its conversation holds no trace of the user's tool.
    expect(good.actor.requests).toHaveLength(3);
    expect(JSON.stringify(good.actor.requests.map((r) => r.messages))).not.toContain(userAct.name);

    const lazy = await run(false);
    expect(lazy.end.reward).toBe(0);
    expect(lazy.end.rewardDetails).toMatchObject({ breakdown: { ENV_ASSERTION: 0 } });
  });
});
