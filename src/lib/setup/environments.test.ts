import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_ENVIRONMENTS, type BenchEnvironment } from '../envs/bench-environment.ts';
import { loadTauPack, type TauPack } from '../envs/tau-bench/pack.ts';
import type { UserBenchPack } from '../envs/userbench/pack.ts';
import { nodePackSource } from '../envs/tau-bench/pack-node.ts';
import { PackCache } from '../envs/tau-bench/pack-cache.ts';
import { HumanTravelSeat } from '../envs/userbench/human-seat.ts';
import { USERBENCH_SAMPLES, sourcePackLoader } from '../runs/userbench-packs.ts';
import { buildEnvironment, type EnvironmentPacks, type EnvironmentSpec } from './environments.ts';
import { loadTau2Pack, type Tau2Pack } from '../envs/tau2/pack.ts';
import { nodeTau2Source } from '../envs/tau2/pack-node.ts';
import { UserActorDouble } from '../../../tests/doubles/runner-doubles.ts';

const SHARED = resolve(import.meta.dirname, '../../../../shared');
const samples = { tasksFile: USERBENCH_SAMPLES.tasksFile, scenarioFiles: [...USERBENCH_SAMPLES.scenarioFiles] };

/** Real packs from ../shared, each loaded once through one cache, counting the loads. */
function sharedPacks() {
  const tauPacks = new PackCache<TauPack>();
  const ubPacks = new PackCache<UserBenchPack>();
  const tau2Packs = new PackCache<Tau2Pack>();
  const loads: string[] = [];
  const tau2 = nodeTau2Source(resolve(SHARED, 'tau2-bench'));
  const ubLoader = sourcePackLoader(nodePackSource(resolve(SHARED, 'userbench')));
  const tau = nodePackSource(resolve(SHARED, 'tau-bench'));
  const packs: EnvironmentPacks = {
    tauBench: (domain, split) => tauPacks.get(`${domain}/${split}`, () => (loads.push(`${domain}/${split}`), loadTauPack(tau, [domain], { [domain]: [split] }))),
    userBench: (choice) => ubPacks.get(JSON.stringify(choice), () => (loads.push(choice.environment.domain), ubLoader(choice))),
    tau2: (domain) => tau2Packs.get(domain, () => (loads.push(`tau2/${domain}`), loadTau2Pack(tau2, domain))),
  };
  return { packs, loads };
}

/** Every environment a spec can name: each benchmark of the one list (UserBench on the sample scenarios), and a policy. */
const specs: EnvironmentSpec[] = [
  ...BENCH_ENVIRONMENTS.flatMap((f) => f.environments)
    .map((e): BenchEnvironment => (e.family === 'userbench' ? { ...e, ...samples } : e)),
  { family: 'userbench', domain: 'travel22', oneChoice: true, ...samples },
  { family: 'policy-chat', policy: 'Never promise refunds over $100.' },
];

describe('buildEnvironment: one factory for every family', () => {
  it('builds each environment a spec names, with its user side and an id of the one scheme', async () => {
    const { packs, loads } = sharedPacks();
    const user = new UserActorDouble();
    const ids: string[] = [];
    for (const environment of specs) {
      const { env, user: side } = await buildEnvironment({ environment, split: 'test', taskIndex: 1, maxSteps: 20, userModel: () => user }, packs);
      ids.push(env.id);
      if (environment.family !== 'policy-chat') expect(env.tools.length, environment.family).toBeGreaterThan(0);
      switch (environment.family) {
        case 'policy-chat':
          expect(env.policy).toContain('Never promise refunds over $100.');
          expect(side).toBeUndefined();
          break;
        case 'tau-bench':
          expect(side?.kind).toBe('simulated');
          expect(env.policy.length).toBeGreaterThan(1000);
          break;
        case 'tau2':
          expect(side?.kind).toBe('simulated');
          // LLMAgent's system prompt: the instruction, then the domain policy.
          expect(env.policy).toMatch(/^<instructions>\nYou are a customer service agent[\s\S]*<\/instructions>\n<policy>\n(# |<main_policy>)[\s\S]{1000,}\n<\/policy>$/);
          expect(env.tools.map((t) => t.function.name)).toContain('transfer_to_human_agents');
          expect(env.reward).toBeDefined();
          break;
        case 'userbench':
          expect(side?.kind).toBe('simulated');
          // The row's opening message, as eval.py sends it.
          expect((await side?.first(new AbortController().signal))?.content).toMatch(/\S/);
          expect(env.tools.map((t) => t.function.name)).toEqual(['interact_with_env']);
          break;
      }
    }
    expect(ids).toEqual([
      'tau-bench/retail/test/1',
      'tau-bench/airline/test/1',
      'tau2/airline/test/1',
      'tau2/retail/test/1',
      'tau2/telecom/test/1',
      'userbench/travel22/tasks/sample_scenarios_train_rows.json/1',
      'userbench/travel33/tasks/sample_scenarios_train_rows.json/1',
      'userbench/travel44/tasks/sample_scenarios_train_rows.json/1',
      'userbench/travel22-onechoice/tasks/sample_scenarios_train_rows.json/1',
      expect.stringMatching(/^policy-chat/),
    ]);
    // Each pack loaded once, though each environment was built from it.
    await buildEnvironment({ environment: { family: 'tau-bench', domain: 'retail' }, split: 'test', taskIndex: 2, maxSteps: 30, userModel: () => user }, packs);
    expect(loads.filter((l) => l === 'retail/test')).toHaveLength(1);
  });

  it('leaves the seat to a person: no simulated user for tau-bench, the person answers for UserBench', async () => {
    const { packs } = sharedPacks();
    let asked = 0;
    const userModel = () => (asked++, new UserActorDouble());
    const tau = await buildEnvironment({ environment: { family: 'tau-bench', domain: 'airline' }, split: 'test', taskIndex: 0, maxSteps: 30, userModel, seat: 'human' }, packs);
    expect(tau.user).toBeUndefined();
    expect(asked).toBe(0);
    const seats: HumanTravelSeat[] = [];
    const ub = await buildEnvironment(
      { environment: { family: 'userbench', domain: 'travel22', ...samples }, split: 'test', taskIndex: 0, maxSteps: 20, userModel, seat: 'human', humanSeat: (prompts) => (seats.push(new HumanTravelSeat(prompts)), seats[0] as HumanTravelSeat) },
      packs,
    );
    expect(ub.user?.kind).toBe('human');
    expect(seats).toHaveLength(1);
  });

  it('names the index file when the task does not exist', async () => {
    const { packs } = sharedPacks();
    await expect(
      buildEnvironment({ environment: { family: 'userbench', domain: 'travel22', ...samples }, split: 'test', taskIndex: 9, maxSteps: 20, userModel: () => new UserActorDouble() }, packs),
    ).rejects.toThrow(/sample_scenarios_train_rows\.json.*task 9 does not exist/);
  });
});
