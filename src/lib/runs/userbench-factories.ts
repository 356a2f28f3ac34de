/**
 * The runner's factories for UserBench: the pack (prompts, tool, task index,
 * scenarios) is loaded once per environment and variant; each episode is built
 * by the environment factory (setup/environments.ts) with the run's user model
 * (metered by the runner) as its judges and simulated user.
 */
import type { Env, UserSide } from '../envs/env-interface.ts';
import { ValidationError } from '../errors.ts';
import { scenarioOf, type UserBenchPack } from '../envs/userbench/pack.ts';
import { PackCache } from '../envs/tau-bench/pack-cache.ts';
import { buildEnvironment, userBenchRow, type UserBenchPackChoice } from '../setup/environments.ts';
import { runModels, type ModelClientOptions } from './models.ts';
import type { PackChoice, RunPackLoader } from './userbench-packs.ts';
import type { BenchFactories } from './runner.ts';

export function userBenchFactories(loadPack: RunPackLoader, models: ModelClientOptions): BenchFactories {
  // A failed load is not cached: the next attempt (a resume) tries again.
  const packs = new PackCache<UserBenchPack>();
  const pack = (spec: PackChoice): Promise<UserBenchPack> => packs.get(JSON.stringify([spec.environment, spec.split]), () => loadPack(spec));
  const users = new WeakMap<Env, UserSide>();
  return {
    async createEnv(environment, taskIndex, _split, context) {
      if (!context) throw new Error('UserBench episodes need the run spec and the user model');
      const { env, user } = await buildEnvironment(
        { environment, split: context.spec.split, taskIndex, maxSteps: context.spec.maxSteps, userModel: () => context.userActor },
        {
          userBench: (choice: UserBenchPackChoice) => pack(choice),
          tauBench: () => Promise.reject(new ValidationError('run spec environment', 'a UserBench run loads no tau-bench pack')),
          tau2: () => Promise.reject(new ValidationError('run spec environment', 'a UserBench run loads no τ³-bench pack')),
        },
      );
      if (user) users.set(env, user);
      return env;
    },
    createUser({ env }): UserSide {
      const user = users.get(env);
      if (!user) throw new Error('UserBench: the episode has no opening message (env not made by these factories)');
      return user;
    },
    ...runModels(models),
    prepare: async (spec) => {
      const p = await pack(spec);
      for (const t of spec.taskIndices) scenarioOf(p, userBenchRow(p, t));
    },
  };
}
