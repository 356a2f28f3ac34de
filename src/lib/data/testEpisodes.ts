/**
 * Scripted episodes with known outcomes for the data pipeline's tests: real
 * runs of runEpisode over a small shop environment whose reward is scripted
 * (ShopEnvDouble stands in for a tau-bench pack), recorded by TraceRecorder.
 */
import type { EpisodeMeta } from '../loop/events.ts';
import { runEpisode } from '../loop/runEpisode.ts';
import type { Env, ToolResult } from '../envs/types.ts';
import { ScriptedActorDouble, ScriptedCriticDouble, ScriptedUserDouble, type CriticStep } from '../testing/doubles.ts';
import { TraceRecorder } from '../traces/recorder.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import type { Action, CriticMode, FailureRule, ToolSchema } from '../types.ts';
import type { GoldTask } from './gold.ts';

const tool = (name: string): ToolSchema => ({
  type: 'function',
  function: { name, description: `${name} tool`, parameters: { type: 'object', properties: {} } },
});

export const SHOP_TOOLS: ToolSchema[] = [tool('get_order_details'), tool('cancel_pending_order'), tool('refund_order')];
export const SHOP_POLICY = 'Verify the order before changing it. Ask the user to confirm before cancelling.';

/** Gold per task index, tau-bench style. */
export const SHOP_TASKS: GoldTask[] = [
  {
    actions: [
      { name: 'get_order_details', kwargs: { order_id: '1' } },
      { name: 'respond', kwargs: { content: 'Confirm?' } },
      { name: 'cancel_pending_order', kwargs: { order_id: '1', reason: 'no longer needed' } },
    ],
    outputs: [],
  },
  { actions: [{ name: 'refund_order', kwargs: { order_id: '3' } }], outputs: [] },
  { actions: [], outputs: ['hello'] },
];

export const goldOfShop = (meta: EpisodeMeta): GoldTask | undefined =>
  meta.environment === 'shop' && meta.taskIndex !== undefined ? SHOP_TASKS[meta.taskIndex] : undefined;
export const toolsOfShop = (meta: EpisodeMeta): ToolSchema[] => (meta.environment === 'shop' ? SHOP_TOOLS : []);

class ShopEnvDouble implements Env {
  readonly id = 'shop';
  readonly policy = SHOP_POLICY;
  readonly tools = SHOP_TOOLS;
  constructor(private readonly scriptedReward: number) {}
  execute(call: { name: string; arguments: Record<string, unknown> }): ToolResult {
    return { observation: JSON.stringify({ ok: true, tool: call.name, args: call.arguments }) };
  }
  reward() {
    return { reward: this.scriptedReward };
  }
}

let callId = 0;
export const call = (name: string, args: Record<string, unknown>): Action => ({
  kind: 'tool_call',
  call: { id: `call_${++callId}`, name, arguments: args },
});
export const say = (content: string): Action => ({ kind: 'message', content });

export interface ScriptedEpisode {
  id: string;
  taskIndex: number | undefined;
  reward: number;
  mode: CriticMode;
  failureRule?: FailureRule;
  user: string[];
  actor: Action[];
  critic?: CriticStep[];
  environment?: string;
}

/** Runs one scripted episode through the real loop and recorder; returns the trace and what the critic was shown. */
export async function recordEpisode(e: ScriptedEpisode): Promise<{ trace: EpisodeTrace; critic: ScriptedCriticDouble }> {
  const critic = new ScriptedCriticDouble(e.critic ?? []);
  let trace: EpisodeTrace | undefined;
  const rec = new TraceRecorder({ put: async (t) => void (trace = t) }, () => 1000);
  let clock = 0;
  const events = runEpisode(
    {
      episodeId: e.id,
      env: new ShopEnvDouble(e.reward),
      user: new ScriptedUserDouble([...e.user]),
      actor: new ScriptedActorDouble([...e.actor]),
      ...(e.mode === 'off' ? {} : { critic }),
      mode: e.mode,
      maxRevisions: 2,
      failureRule: e.failureRule ?? 'fail-open',
      maxSteps: 30,
      criticTimeoutMs: 5000,
      meta: { environment: e.environment ?? 'shop', ...(e.taskIndex === undefined ? {} : { taskIndex: e.taskIndex, taskSplit: 'test' }) },
      now: () => ++clock,
    },
    new AbortController().signal,
  );
  for await (const ev of events) await rec.record(ev);
  if (!trace) throw new Error(`episode ${e.id} recorded nothing`);
  return { trace, critic };
}

const CANCEL_1 = { order_id: '1', reason: 'no longer needed' };
const CANCEL_2 = { order_id: '2', reason: 'no longer needed' };

/**
 * The scripted corpus, with its outcome known by construction:
 * A passes alone; B fails alone by cancelling the wrong order (departure at
 * step 1); C passes because the critic caught the wrong order; D fails
 * because the critic blocked the needed refund; F and G fail task 1 alone
 * without any state change; H and I pass task 2 alone.
 */
export const SCRIPTED: ScriptedEpisode[] = [
  {
    id: 'A',
    taskIndex: 0,
    reward: 1,
    mode: 'off',
    user: ['Cancel order 1 please', 'yes'],
    actor: [call('get_order_details', { order_id: '1' }), say('Confirm?'), call('cancel_pending_order', CANCEL_1), say('Done.')],
  },
  {
    id: 'B',
    taskIndex: 0,
    reward: 0,
    mode: 'off',
    user: ['Cancel order 1 please'],
    actor: [call('get_order_details', { order_id: '1' }), call('cancel_pending_order', CANCEL_2), say('Done.')],
  },
  {
    id: 'C',
    taskIndex: 0,
    reward: 1,
    mode: 'intervene',
    user: ['Cancel order 1 please'],
    actor: [call('get_order_details', { order_id: '1' }), call('cancel_pending_order', CANCEL_2), call('cancel_pending_order', CANCEL_1), say('Done.')],
    critic: [{ decision: 'approve' }, { decision: 'revise', category: 'wrong-order', feedback: 'The user asked about order 1.' }, { decision: 'approve' }, { decision: 'approve' }],
  },
  {
    id: 'D',
    taskIndex: 1,
    reward: 0,
    mode: 'intervene',
    user: ['Refund order 3'],
    actor: [call('refund_order', { order_id: '3' }), say('I cannot refund that.')],
    critic: [{ decision: 'revise', category: 'no-refunds', feedback: 'Refunds are not allowed.' }, { decision: 'approve' }],
  },
  { id: 'F', taskIndex: 1, reward: 0, mode: 'off', user: ['Refund order 3'], actor: [say('Sorry, no.')] },
  { id: 'G', taskIndex: 1, reward: 0, mode: 'off', user: ['Refund order 3'], actor: [say('Sorry, no.')] },
  { id: 'H', taskIndex: 2, reward: 1, mode: 'off', user: ['Say hello'], actor: [say('hello')] },
  { id: 'I', taskIndex: 2, reward: 1, mode: 'off', user: ['Say hello'], actor: [say('hello')] },
];

export async function recordScripted(episodes: readonly ScriptedEpisode[] = SCRIPTED): Promise<EpisodeTrace[]> {
  const out: EpisodeTrace[] = [];
  for (const e of episodes) out.push((await recordEpisode(e)).trace);
  return out;
}
