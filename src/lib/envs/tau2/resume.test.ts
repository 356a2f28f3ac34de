/**
 * A τ³ episode with a person in the user's seat survives a reload: the stored
 * timeline rebuilds the session (greeting, the person's turns, the agent's
 * messages, the agent's tool calls rerun on a fresh environment, the person's
 * phone calls rerun on a fresh user database, all in their order), and the
 * finished episode equals the uninterrupted one: reward, breakdown,
 * trajectory, both database hashes and the stored trace. Real tasks and data
 * from ../shared/tau2-bench.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ScriptedActorDouble, type ActorStep } from '../../../../tests/doubles/scripted-doubles.ts';
import { tau2DataReady, tau2TestPacks } from '../../../../tests/tau2-packs.ts';
import { ScriptedPersonDouble, type PersonTurn } from '../../../../tests/doubles/tau2-person-double.ts';
import type { Action } from '../../contracts.ts';
import type { LoopEvent } from '../../loop/events.ts';
import { runEpisode } from '../../loop/run-episode.ts';
import { buildEnvironment } from '../../setup/environments.ts';
import { TraceRecorder } from '../../traces/recorder.ts';
import type { EpisodeTrace } from '../../traces/schema.ts';
import type { Tau2Domain, Tau2Split } from '../environment.ts';
import { toJs } from '../tau-bench/py.ts';
import type { Tau2Message } from './environment.ts';
import type { NlJudge } from './evaluator.ts';
import { Tau2HumanSeat } from './human-seat.ts';
import { tau2TaskOf } from './pack.ts';
import type { Tau2Action } from './tasks.ts';

const ready = tau2DataReady;
const packs = tau2TestPacks();

const args = (a: Tau2Action) => z.record(z.string(), z.unknown()).parse(toJs(a.arguments));
const toolCall = (a: Tau2Action, i: number): Action => ({ kind: 'tool_call', call: { id: `call_${i}`, name: a.name, arguments: args(a) } });
const say = (content: string): Action => ({ kind: 'message', content });

interface Task {
  domain: Tau2Domain;
  split: Tau2Split;
  taskIndex: number;
  judge?: NlJudge;
}

/**
 * Runs (or resumes, from `resume`) an episode with a scripted person in the
 * seat; `until` cuts it off after the event it names (the tab closes), leaving
 * the stored trace as a reload finds it.
 */
async function run(t: Task, agent: ActorStep[], turns: PersonTurn[], opts: { resume?: EpisodeTrace; until?: (e: LoopEvent) => boolean } = {}) {
  const person = new ScriptedPersonDouble(turns);
  const { env, user, tau2 } = await buildEnvironment(
    { environment: { family: 'tau2', domain: t.domain }, split: t.split, taskIndex: t.taskIndex, maxSteps: 30, userModel: () => new ScriptedActorDouble([]), seat: 'human', ...(t.judge ? { nlJudge: t.judge } : {}) },
    packs,
  );
  if (user || !tau2) throw new Error('expected the person\'s seat');
  const seat = new Tau2HumanSeat(person, tau2);
  person.seat = seat;
  const sink = new Map<string, EpisodeTrace>();
  const recorder = new TraceRecorder({ put: (tr) => Promise.resolve(void sink.set(tr.id, structuredClone(tr))) }, () => 0, opts.resume);
  const abort = new AbortController();
  const events: LoopEvent[] = [];
  const loop = runEpisode(
    {
      episodeId: 'ep',
      env,
      user: seat,
      actor: new ScriptedActorDouble(agent),
      mode: 'off',
      maxRevisions: 0,
      failureRule: 'fail-open',
      maxSteps: 30,
      criticTimeoutMs: 1000,
      meta: { environment: { family: 'tau2', domain: t.domain }, taskIndex: t.taskIndex, taskSplit: t.split },
      now: () => 0,
      ...(opts.resume ? { resume: opts.resume.timeline } : {}),
    },
    abort.signal,
  );
  for await (const e of loop) {
    events.push(e);
    await recorder.record(e);
    if (opts.until?.(e)) break;
  }
  abort.abort();
  const trace = sink.get('ep');
  if (!trace) throw new Error('nothing stored');
  const end = events.at(-1);
  return { trace, end: end?.type === 'episode_end' ? end : undefined, session: tau2, hashes: [await tau2.env.dbHash(), await tau2.env.userDbHash()] };
}

/** The uninterrupted episode, and the same one cut off by `until` and resumed with what is left of both scripts. */
async function bothWays(t: Task, agent: ActorStep[], turns: PersonTurn[], cut: { until: (e: LoopEvent) => boolean; agentDone: number; turnsBefore: PersonTurn[]; turnsAfter: PersonTurn[] }) {
  const whole = await run(t, [...agent], turns);
  const cutOff = await run(t, agent.slice(0, cut.agentDone), cut.turnsBefore, { until: cut.until });
  expect(cutOff.trace.status).toBe('running');
  expect(cutOff.end).toBeUndefined();
  const resumed = await run(t, agent.slice(cut.agentDone), cut.turnsAfter, { resume: cutOff.trace });
  return { whole, cutOff, resumed };
}

describe.skipIf(!ready)('a τ³ episode resumed after a reload, with a person in the seat', () => {
  it('telecom: cut off right after the person\'s phone action, it finishes with the same ENV_ASSERTION reward, trajectory, both databases and trace', async () => {
    const pack = await packs.tau2('telecom');
    // small task 2: the agent enables roaming on the line, the person must turn data roaming on on the phone.
    const task = tau2TaskOf(pack, 'small', 2);
    const [agentAct, userAct] = task.criteria?.actions ?? [];
    if (!agentAct || !userAct || userAct.requestor !== 'user') throw new Error('no gold');
    expect(task.criteria?.rewardBasis).toEqual(['ENV_ASSERTION']);
    const agent = [toolCall(agentAct, 0), say('Roaming is enabled on your line. Please turn on data roaming on your phone.'), say('You are all set.')];
    const press = [{ name: userAct.name, arguments: args(userAct) }];
    const t: Task = { domain: 'telecom', split: 'small', taskIndex: 2 };
    const { whole, cutOff, resumed } = await bothWays(t, agent, [{ say: 'My mobile data does not work abroad.' }, { press, say: 'Done, data roaming is on.' }], {
      // The tab closes mid-turn: the phone action is stored, the person's words are not yet.
      until: (e) => e.type === 'user_tool',
      agentDone: 2,
      turnsBefore: [{ say: 'My mobile data does not work abroad.' }, { press }],
      turnsAfter: [{ say: 'Done, data roaming is on.' }],
    });
    expect(cutOff.trace.timeline.map((e) => e.type)).toEqual(['user', 'step', 'step', 'user_tool']);

    expect(whole.end?.reward).toBe(1);
    expect(whole.end?.rewardDetails).toMatchObject({ breakdown: { ENV_ASSERTION: 1 }, userActions: [{ name: userAct.name, error: false }] });
    expect(resumed.end).toEqual(whole.end);
    expect(resumed.session.trajectory).toEqual(whole.session.trajectory);
    expect(resumed.hashes).toEqual(whole.hashes);
    // The stored trace: no gap, no duplicate (the phone action once, before the person's words).
    expect(resumed.trace).toEqual(whole.trace);
    expect(resumed.trace.timeline.map((e) => e.type)).toEqual(['user', 'step', 'step', 'user_tool', 'user', 'step', 'user']);

    // Without the phone action the same conversation fails ENV_ASSERTION: the resumed reward depends on the replayed call.
    const lazy = await run(t, [...agent], [{ say: 'My mobile data does not work abroad.' }, { say: 'Done, data roaming is on.' }]);
    expect(lazy.end?.reward).toBe(0);
    expect(lazy.hashes[1]).not.toBe(whole.hashes[1]);
  });

  it('retail: the NL judge reads the same conversation, the person\'s turns before the reload included; DB and trace equal', async () => {
    const pack = await packs.tau2('retail');
    // test task 10 (id 38): four gold actions, scored on DB and NL assertions.
    const task = tau2TaskOf(pack, 'test', 10);
    expect(task.criteria?.rewardBasis).toEqual(['DB', 'NL_ASSERTION']);
    const gold = task.criteria?.actions ?? [];
    expect(gold.length).toBeGreaterThan(1);
    const seen: Tau2Message[][] = [];
    const judge: NlJudge = (assertions, trajectory) => {
      seen.push(structuredClone(trajectory));
      return Promise.resolve({ checks: assertions.map((a) => ({ nlAssertion: a, met: true, justification: 'met' })) });
    };
    const t: Task = { domain: 'retail', split: 'test', taskIndex: 10, judge };
    const [firstAct, ...rest] = gold;
    if (!firstAct) throw new Error('no gold');
    const agent = [toolCall(firstAct, 0), say('I found your account. Shall I go ahead?'), ...rest.map((a, i) => toolCall(a, i + 1)), say('All done.')];
    const turns = [{ say: 'Hi, I need to change an order.' }, { say: 'Yes, please go ahead.' }];
    const { whole, cutOff, resumed } = await bothWays(t, agent, turns, {
      // The tab closes while the agent's question waits for the person.
      until: (e) => e.type === 'step' && e.step.executed.kind === 'message',
      agentDone: 2,
      turnsBefore: [{ say: 'Hi, I need to change an order.' }, {}],
      turnsAfter: [{ say: 'Yes, please go ahead.' }],
    });
    expect(cutOff.trace.timeline.map((e) => e.type)).toEqual(['user', 'step', 'step']);

    expect(whole.end?.reward).toBe(1);
    expect(whole.end?.rewardDetails).toMatchObject({ breakdown: { DB: 1, NL_ASSERTION: 1 }, dbMatch: true });
    expect(resumed.end).toEqual(whole.end);
    // Judged twice: the whole episode and the resumed one (the cut-off one never ended).
    expect(seen).toHaveLength(2);
    const [wholeSeen, resumedSeen] = seen;
    expect(resumedSeen).toEqual(wholeSeen);
    expect(resumedSeen?.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['Hi, I need to change an order.', 'Yes, please go ahead.']);
    expect(resumed.session.trajectory).toEqual(whole.session.trajectory);
    expect(resumed.hashes).toEqual(whole.hashes);
    expect(resumed.trace).toEqual(whole.trace);
  });

  it('a stored phone action that gives another result on replay stops the resume with an error naming the call, not a wrong reward', async () => {
    const pack = await packs.tau2('telecom');
    const task = tau2TaskOf(pack, 'small', 2);
    const [agentAct, userAct] = task.criteria?.actions ?? [];
    if (!agentAct || !userAct) throw new Error('no gold');
    const t: Task = { domain: 'telecom', split: 'small', taskIndex: 2 };
    const press = [{ name: userAct.name, arguments: args(userAct) }];
    const cutOff = await run(t, [toolCall(agentAct, 0), say('Please turn on data roaming.')], [{ say: 'No data abroad.' }, { press }], { until: (e) => e.type === 'user_tool' });
    const tampered = structuredClone(cutOff.trace);
    const entry = tampered.timeline.at(-1);
    if (entry?.type !== 'user_tool') throw new Error('no phone action stored');
    entry.observation = 'Data Roaming is now OFF.';
    const resumed = await run(t, [say('You are all set.')], [{ say: 'Done.' }], { resume: tampered });
    expect(resumed.end?.outcome).toBe('error');
    expect(resumed.end?.error).toMatch(new RegExp(`Cannot resume: the user's ${userAct.name} call \\(person_0\\) returned .* not the stored "Data Roaming is now OFF\\."`));
  });
});
