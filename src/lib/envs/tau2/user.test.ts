/**
 * The original's user simulator: its system prompt for every task of the three domains equals the one the
 * original built (tests/fixtures/tau2/user-prompts.json, recorded by record_user_prompts.py), and with dual
 * control the simulated user acts on its own phone (a stub toolkit, tests/doubles/tau2-phone-double.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ScriptedActorDouble, type ActorStep } from '../../../../tests/doubles/scripted-doubles.ts';
import { phonePackDouble } from '../../../../tests/doubles/tau2-phone-double.ts';
import type { Action } from '../../contracts.ts';
import type { UserToolUse } from '../env-interface.ts';
import { createTau2Env } from './env.ts';
import { Tau2HumanSeat, toolArg, toolParams } from './human-seat.ts';
import { TAU2_DOMAIN_SPECS } from './domains.ts';
import { parseTasks, type Tau2Task } from './tasks.ts';
import { TOOL_SCHEMAS } from './tool-schemas.ts';
import { FIRST_AGENT_MESSAGE } from './orchestrator.ts';
import { Tau2SimulatedUser, userSystemPrompt } from './user.ts';
import { SIMULATION_GUIDELINES_TOOLS } from './user-guidelines.ts';
import { TAU2_DOMAINS } from '../environment.ts';

const SHARED = resolve('../shared/tau2-bench');
const Recorded = z.record(z.string(), z.object({ tools: z.array(z.string()), sha256: z.record(z.string(), z.string()), example: z.string() }));
const recorded = Recorded.parse(JSON.parse(readFileSync(resolve('tests/fixtures/tau2/user-prompts.json'), 'utf8')));
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

function tasksOf(domain: (typeof TAU2_DOMAINS)[number]): Tau2Task[] {
  const { files } = TAU2_DOMAIN_SPECS[domain];
  return (files.localTasks ?? [files.tasks]).flatMap((f) => parseTasks(readFileSync(`${SHARED}/${domain}/${f}`, 'utf8'), `${domain}/${f}`));
}

/** A real telecom task on the stub phone: its scenario, without the initialization actions the stub cannot run. */
function phoneTask(): Tau2Task {
  const task = tasksOf('telecom')[0];
  if (!task) throw new Error('no telecom task');
  return { ...task, initializationActions: [] };
}

describe('the user simulator prompt', () => {
  it.each(TAU2_DOMAINS)('equals the original\'s for every %s task', (domain) => {
    const want = recorded[domain];
    if (!want) throw new Error(`no recording for ${domain}`);
    const tasks = tasksOf(domain);
    expect(tasks.length).toBe(Object.keys(want.sha256).length);
    const withTools = want.tools.length > 0;
    const got = Object.fromEntries(tasks.map((t) => [t.id, sha(userSystemPrompt(t.userInstructions, withTools))]));
    expect(got).toEqual(want.sha256);
    // The user's tools are the original's, in its order.
    expect(TOOL_SCHEMAS[domain].user.map((t) => t.function.name)).toEqual(want.tools);
  });
});

const say = (content: string): Action => ({ kind: 'message', content });
const use = (name: string, args: Record<string, unknown> = {}, id = name): Action => ({ kind: 'tool_call', call: { id, name, arguments: args } });

function phoneEpisode(script: ActorStep[]) {
  const task = phoneTask();
  const pack = phonePackDouble(task);
  const { session } = createTau2Env(pack, task, { id: 'tau2/telecom/small/0' });
  const model = new ScriptedActorDouble(script);
  return { session, model, user: new Tau2SimulatedUser(model, session), task };
}

describe('dual control: the simulated user acts on its own phone', () => {
  const signal = new AbortController().signal;

  it('runs its tool calls on the user database, feeds the results back, and speaks when done', async () => {
    const { session, model, user, task } = phoneEpisode([
      use('check_status_bar'),
      use('toggle_airplane_mode'),
      say('I turned airplane mode off; still no service.'),
    ]);
    const turn = await user.first(signal);
    expect(turn).toEqual({ content: 'I turned airplane mode off; still no service.', stop: false });
    // The tools variant of the guidelines, the task's scenario, and only the tools the environment offers.
    expect(user.system).toBe(userSystemPrompt(task.userInstructions, true));
    expect(user.system.startsWith(SIMULATION_GUIDELINES_TOOLS)).toBe(true);
    expect(model.requests[0]?.tools.map((t) => t.function.name)).toEqual(['check_status_bar', 'set_network_mode_preference', 'toggle_airplane_mode']);
    // The second call sees its first tool call and the phone's answer, roles flipped as the original's flip_roles.
    expect(model.requests[1]?.messages).toEqual([
      { role: 'user', content: FIRST_AGENT_MESSAGE },
      { role: 'assistant', content: '', toolCalls: [{ id: 'check_status_bar', name: 'check_status_bar', arguments: {} }] },
      { role: 'tool', toolCallId: 'check_status_bar', name: 'check_status_bar', content: 'Status Bar: ✈️ Airplane Mode' },
    ]);
    expect(session.env.userTools?.db.get('airplane_mode')).toBe(false);
    // The trajectory holds the greeting, the user's calls with requestor 'user' and their results, then the message.
    expect(session.trajectory.map((m) => (m.role === 'tool' ? `tool:${m.requestor}` : `${m.role}${m.toolCalls ? ':call' : ''}`))).toEqual([
      'assistant',
      'user:call',
      'tool:user',
      'user:call',
      'tool:user',
      'user',
    ]);
    expect(session.userActions.map((a) => [a.name, a.content])).toEqual([
      ['check_status_bar', 'Status Bar: ✈️ Airplane Mode'],
      ['toggle_airplane_mode', 'Airplane Mode is now OFF.'],
    ]);
  });

  it('a failing call comes back as the original\'s Error text, and the user may retry', async () => {
    const { user, model, session } = phoneEpisode([use('set_network_mode_preference', { mode: '6g' }, 'a'), use('set_network_mode_preference', { mode: '4g_only' }, 'b'), say('Done.')]);
    await user.first(signal);
    expect(model.requests[1]?.messages.at(-1)).toEqual({ role: 'tool', toolCallId: 'a', name: 'set_network_mode_preference', content: 'Error: Invalid network mode: 6g' });
    expect(session.env.userTools?.db.get('network_mode')).toBe('4g_only');
  });

  it('asked again after its model call failed (the chat\'s Retry), it records the agent once and keeps the tool calls that ran', async () => {
    const { user, model, session } = phoneEpisode([say('My phone has no service.'), use('toggle_airplane_mode', {}, 'a'), new Error('HTTP 500'), say('It works now.')]);
    await user.first(signal);
    await expect(user.reply('Please turn airplane mode off.', signal)).rejects.toThrow('HTTP 500');
    expect(user.retrySafe).toBe(true);
    expect(await user.reply('Please turn airplane mode off.', signal)).toEqual({ content: 'It works now.', stop: false });
    // The retried request is the failed one's: the agent's message once, the tool call that ran with its result.
    expect(model.requests[3]?.messages).toEqual(model.requests[2]?.messages);
    expect(model.requests[3]?.messages.filter((m) => m.role === 'user' && m.content === 'Please turn airplane mode off.')).toHaveLength(1);
    expect(session.userActions.map((a) => a.name)).toEqual(['toggle_airplane_mode']);
    expect(session.trajectory.filter((m) => m.content === 'Please turn airplane mode off.')).toHaveLength(1);
    expect(user.transcript.at(-1)).toEqual({ role: 'assistant', content: 'It works now.' });
  });

  it.each(['###STOP###', '###TRANSFER###', '###OUT-OF-SCOPE###'])('%s in a message ends the episode', async (token) => {
    const { user } = phoneEpisode([say('Hi, my phone has no service.'), say(`Thanks. ${token}`)]);
    expect((await user.first(signal)).stop).toBe(false);
    expect(await user.reply('Please restart it.', signal)).toEqual({ content: `Thanks. ${token}`, stop: true });
  });
});

describe('a person in the user seat', () => {
  it('is recorded in the trajectory as the simulated user would be, and acts on the phone through the buttons', async () => {
    const task = phoneTask();
    const { session } = createTau2Env(phonePackDouble(task), task, { id: 'x' });
    const lines = ['My phone shows no service.', 'It says 4G now.'];
    // The person presses the button while it is their turn to answer the agent.
    const pressed: Array<() => void> = [];
    const person = {
      kind: 'human' as const,
      first: async () => ({ content: lines[0] ?? '', stop: false }),
      reply: async () => {
        for (const press of pressed) press();
        return { content: lines[1] ?? '', stop: false };
      },
    };
    const seat = new Tau2HumanSeat(person, session);
    expect(seat.tools.map((t) => t.function.name)).toEqual(['check_status_bar', 'set_network_mode_preference', 'toggle_airplane_mode']);
    await seat.first(new AbortController().signal);
    const setMode = seat.tools.find((t) => t.function.name === 'set_network_mode_preference');
    if (!setMode) throw new Error('no tool');
    const [mode] = toolParams(setMode);
    expect(mode).toMatchObject({ name: 'mode', required: true });
    if (!mode) throw new Error('no param');
    // Between turns the phone is not theirs to use: nothing runs.
    expect(() => seat.useTool('set_network_mode_preference', { mode: '4g_only' })).toThrow(/when it is your turn/);
    expect(session.userActions).toEqual([]);
    pressed.push(() => seat.useTool('set_network_mode_preference', { mode: toolArg(mode, '4g_only') }));
    const heard: UserToolUse[] = [];
    await seat.reply('Please set 4G only.', new AbortController().signal, (u) => heard.push(u));
    // The loop hears the call as it runs (and stores it then).
    expect(heard).toEqual([{ call: { id: 'person_0', name: 'set_network_mode_preference', arguments: { mode: '4g_only' } }, observation: 'Preferred Network Mode set to: 4g_only', error: false }]);
    expect(session.trajectory.map((m) => (m.role === 'tool' ? 'tool' : `${m.role}:${m.content ?? 'call'}`))).toEqual([
      `assistant:${FIRST_AGENT_MESSAGE}`,
      'user:My phone shows no service.',
      'assistant:Please set 4G only.',
      'user:call',
      'tool',
      'user:It says 4G now.',
    ]);
    expect(() => toolArg({ name: 'n', type: 'integer', description: '', required: true }, 'x')).toThrow(/n must be a number/);
  });
});

describe('the tool schemas the app shows the models', () => {
  it('name, for every domain, exactly the ported tools in the original\'s order', () => {
    for (const d of TAU2_DOMAINS) {
      const spec = TAU2_DOMAIN_SPECS[d];
      expect(TOOL_SCHEMAS[d].agent.map((t) => t.function.name), d).toEqual(spec.tools.map((t) => t.name));
      expect(TOOL_SCHEMAS[d].user.map((t) => t.function.name), d).toEqual(spec.userTools.map((t) => t.name));
    }
  });
});
