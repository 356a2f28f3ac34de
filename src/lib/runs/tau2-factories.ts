/**
 * The runner's factories for τ³-bench: each domain's pack is loaded once;
 * each episode is built by the environment factory (setup/environments.ts):
 * a fresh environment on its own copy of the database(s), the original's user
 * simulator on the run's (metered) user model, and, when the run names one, the
 * NL-assertion judge (envs/tau2/nl-judge.ts) on the judge model the runner built
 * and meters (temperature 0, as the original's), so its tokens count in the run's cost.
 */
import type { Tau2Domain } from '../envs/environment.ts';
import { tau2Split } from '../envs/environment.ts';
import type { BenchEnvironment } from '../envs/bench-environment.ts';
import { PackCache } from '../envs/tau-bench/pack-cache.ts';
import { actorNlJudge } from '../envs/tau2/nl-judge.ts';
import { tau2TaskOf, type Tau2Pack } from '../envs/tau2/pack.ts';
import type { Env, UserSide } from '../envs/env-interface.ts';
import { ValidationError } from '../errors.ts';
import { buildEnvironment } from '../setup/environments.ts';
import { runModels, type ModelClientOptions } from './models.ts';
import type { BenchFactories } from './runner.ts';

/** Loads a τ³ domain's pack: from a folder (Node) or upstream / a cache (browser). */
export type Tau2PackLoader = (domain: Tau2Domain) => Promise<Tau2Pack>;

function tau2Domain(environment: BenchEnvironment): Tau2Domain {
  if (environment.family !== 'tau2') throw new ValidationError('run spec environment', `${environment.family} is not τ³-bench`);
  return environment.domain;
}

export function tau2Factories(loadPack: Tau2PackLoader, models: ModelClientOptions): BenchFactories {
  // A failed load is not cached: the next attempt (a resume) tries again.
  const packs = new PackCache<Tau2Pack>();
  const pack = (domain: Tau2Domain): Promise<Tau2Pack> => packs.get(domain, () => loadPack(domain));
  const users = new WeakMap<Env, UserSide>();
  const built = runModels(models);
  return {
    async createEnv(environment, taskIndex, _split, context) {
      if (!context) throw new Error('τ³ episodes need the run spec and the user model');
      const judge = context.judgeActor;
      const { env, user } = await buildEnvironment(
        {
          environment,
          split: context.spec.split,
          taskIndex,
          maxSteps: context.spec.maxSteps,
          userModel: () => context.userActor,
          ...(judge ? { nlJudge: actorNlJudge(judge) } : {}),
        },
        {
          tau2: pack,
          tauBench: () => Promise.reject(new ValidationError('run spec environment', 'a τ³ run loads no tau-bench pack')),
          userBench: () => Promise.reject(new ValidationError('run spec environment', 'a τ³ run loads no UserBench pack')),
        },
      );
      if (user) users.set(env, user);
      return env;
    },
    createUser({ env }): UserSide {
      const user = users.get(env);
      if (!user) throw new Error('τ³: the episode has no simulated user (env not made by these factories)');
      return user;
    },
    ...built,
    prepare: async (spec) => {
      const p = await pack(tau2Domain(spec.environment));
      const split = tau2Split(spec.split);
      for (const t of spec.taskIndices) tau2TaskOf(p, split, t);
    },
  };
}
