import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTauEnv, replayActions, score, type TauEnv } from './env.ts';
import { loadTauPack, type TauAction, type TauPack } from './pack.ts';
import { nodePackSource } from './pack-node.ts';
import { deepCopy, toJs } from './py.ts';
import { TAU_DOMAINS, type TauDomain } from '../environment.ts';

const DIR = path.resolve(process.cwd(), '..', 'shared', 'tau-bench');

const WRITE_TOOLS = new Set([
  'cancel_pending_order', 'exchange_delivered_order_items', 'modify_pending_order_address',
  'modify_pending_order_items', 'modify_pending_order_payment', 'modify_user_address',
  'return_delivered_order_items', 'book_reservation', 'cancel_reservation', 'send_certificate',
  'update_reservation_baggages', 'update_reservation_flights', 'update_reservation_passengers',
]);

let pack: TauPack;
beforeAll(async () => {
  pack = await loadTauPack(nodePackSource(DIR));
});

/** Plays actions through the Env as the loop would: tool calls with JS arguments. */
function play(env: TauEnv, actions: readonly TauAction[]): { messages: string[]; observations: string[] } {
  const messages: string[] = [];
  const observations: string[] = [];
  actions.forEach((a, i) => {
    if (a.name === 'respond') {
      const c = a.kwargs.get('content');
      messages.push(typeof c === 'string' ? c : '');
      return;
    }
    const args = toJs(a.kwargs);
    const r = env.execute({ id: `c${i}`, name: a.name, arguments: args !== null && typeof args === 'object' ? { ...args } : {} });
    observations.push(r.observation);
  });
  return { messages, observations };
}

const fail = (): never => {
  throw new Error('pack not loaded');
};

/** The outputs the task needs, said by the agent. */
const saying = (outputs: string[]): string[] => outputs.map((o) => `The answer is ${o}.`);

describe.each(TAU_DOMAINS)('%s gold actions', (domain: TauDomain) => {
  it('score 1 for every test task, through Env.execute and the reward replay', () => {
    const tasks = pack.domains[domain]?.tasks.test ?? [];
    expect(tasks.length).toBe(domain === 'retail' ? 115 : 50);
    const failing: number[] = [];
    tasks.forEach((task, i) => {
      const env = createTauEnv(pack, domain, i);
      play(env, task.actions);
      // `score` is Env.reward's core (reward without the hashes for the record).
      if (score(pack.domains[domain] ?? fail(), task, env.data, saying(task.outputs)).reward !== 1) failing.push(i);
    });
    expect(failing).toEqual([]);
  }, 60_000);

  it('score 0 when the last effective write action is left out', () => {
    const tasks = pack.domains[domain]?.tasks.test ?? [];
    let checked = 0;
    const stillOne: number[] = [];
    tasks.forEach((task, i) => {
      const gold = replayActions(pack, domain, i, task.actions);
      const last = task.actions.findLastIndex(
        (a, j) => WRITE_TOOLS.has(a.name) && !(gold.observations[j] ?? '').startsWith('Error'),
      );
      if (last < 0) return;
      checked++;
      const without = task.actions.filter((_, j) => j !== last);
      const outputs = saying(task.outputs).map((content) => ({ name: 'respond', kwargs: new Map([['content', content]]) }));
      if (replayActions(pack, domain, i, [...without, ...outputs]).reward !== 0) stillOne.push(i);
    });
    expect(checked).toBeGreaterThan(domain === 'retail' ? 100 : 25);
    expect(stillOne).toEqual([]);
  }, 60_000);
});

describe('reward details and alterations', () => {
  it('Env.reward gives the original gt_data_hash (sha256 of str(to_hashable(data)))', async () => {
    // Hashes computed by the original Python code (tau-bench 59a200c) on the shared data.
    const env = createTauEnv(pack, 'retail', 0);
    play(env, pack.domains.retail?.tasks.test?.[0]?.actions ?? []);
    const r = await env.reward([]);
    expect(r.reward).toBe(1);
    expect(r.details?.gt_data_hash).toBe('5ed21c65cf9e8d0c20ad0210721146bb6abad19bedce7c2e08472311dabbeec8');
    // The episode's state matches gold structurally; like the original, only the gold hash is recorded.
    expect(r.details?.r_actions).toBe(true);
    expect(r.details).not.toHaveProperty('data_hash');

    const air = createTauEnv(pack, 'airline', 0);
    play(air, pack.domains.airline?.tasks.test?.[0]?.actions ?? []);
    expect((await air.reward([])).details?.gt_data_hash).toBe('a825bc534ee4abad2f0f36d5d162989dcbae16dd509bd675feb7e9ffc86a1001');
  });

  it('an altered argument in a write action scores 0 and says why', async () => {
    const task = pack.domains.retail?.tasks.test?.[0];
    if (!task) throw new Error('no task');
    const altered = task.actions.map((a) => {
      if (a.name !== 'exchange_delivered_order_items') return a;
      const kwargs = deepCopy(a.kwargs);
      kwargs.set('payment_method_id', 'gift_card_0000000'); // not this user's: the tool refuses
      return { name: a.name, kwargs };
    });
    const env = createTauEnv(pack, 'retail', 0);
    const { observations } = play(env, altered);
    expect(observations.at(-1)).toBe('Error: payment method not found');
    const r = await env.reward([]);
    expect(r.reward).toBe(0);
    expect(r.details?.r_actions).toBe(false);
    expect(r.details?.data_hash).not.toBe(r.details?.gt_data_hash);
  });

  it('an airline booking paid 1 dollar differently scores 0', () => {
    const task = pack.domains.airline?.tasks.test?.[0];
    if (!task) throw new Error('no task');
    const changed = deepCopy(task.actions[0]?.kwargs ?? new Map());
    const methods = changed.get('payment_methods');
    if (!Array.isArray(methods)) throw new Error('shape');
    const [cert, card] = methods;
    if (!(cert instanceof Map && card instanceof Map)) throw new Error('shape');
    cert.set('amount', 249);
    card.set('amount', 6);
    const r = replayActions(pack, 'airline', 0, [{ name: 'book_reservation', kwargs: changed }]);
    expect(r.observations[0]).toMatch(/^\{"reservation_id": "HATHAT"/);
    expect(r.reward).toBe(0);
  });

  it('tasks with outputs score 0 without the required message and 1 with it', async () => {
    const withOutputs = (pack.domains.retail?.tasks.test ?? []).flatMap((t, i) => (t.outputs.length ? [i] : []));
    expect(withOutputs.length).toBe(37);
    for (const i of withOutputs.slice(0, 5)) {
      const task = pack.domains.retail?.tasks.test?.[i];
      if (!task) continue;
      const env = createTauEnv(pack, 'retail', i);
      play(env, task.actions);
      const silent = await env.reward(['I have looked into it.']);
      expect(silent.reward).toBe(0);
      expect(silent.details?.r_actions).toBe(true);
      expect(silent.details?.r_outputs).toBe(false);
      // Commas are removed from the message before the case-insensitive search.
      const said = task.outputs.map((o) => `Total: ${o.replace(/(\d)(\d{3})$/, '$1,$2').toUpperCase()}`);
      expect((await env.reward(said)).reward).toBe(1);
    }
  });

  it('transfer_to_human_agents ends the episode; unknown tools are reported, not thrown', () => {
    const env = createTauEnv(pack, 'airline', 13);
    expect(env.execute({ id: '1', name: 'transfer_to_human_agents', arguments: { summary: 'x' } })).toEqual({
      observation: 'Transfer successful',
      endsEpisode: true,
    });
    expect(env.execute({ id: '2', name: 'frobnicate', arguments: {} })).toEqual({ observation: 'Unknown action frobnicate' });
    expect(env.policy).toBe(pack.domains.airline?.wiki);
    expect(env.tools.map((t) => t.function.name)).toContain('book_reservation');
  });
});
