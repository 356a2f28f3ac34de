/**
 * The runner's factories for tau-bench: the pack is loaded once per domain and split,
 * each episode gets a fresh environment (its own database copy) and a
 * simulated user for its task; model clients come from `models.ts`.
 * The tau-bench pieces arrive as a kit so the same glue serves the browser
 * (pack over HTTP) and Node (pack from a folder).
 */
import type { Actor } from '../actor/actor-interface.ts';
import { PackCache } from '../envs/tau-bench/pack-cache.ts';
import type { Env, UserSide } from '../envs/env-interface.ts';
import { runModels, type ModelClientOptions } from './models.ts';
import { ValidationError } from '../errors.ts';
import type { TauDomain } from '../envs/environment.ts';
import type { BenchEnvironment } from '../envs/bench-environment.ts';
import type { BenchFactories } from './runner.ts';

export interface TauKit<Pack> {
  loadPack(domain: TauDomain, split: string): Promise<Pack>;
  createEnv(pack: Pack, domain: TauDomain, taskIndex: number, split: string): Env;
  createUser(pack: Pack, domain: TauDomain, taskIndex: number, split: string, actor: Actor): UserSide;
  /** Throws, naming the file, when the pack has no such task. */
  checkTask(pack: Pack, domain: TauDomain, taskIndex: number, split: string): void;
}

function tauDomain(environment: BenchEnvironment): TauDomain {
  if (environment.family !== 'tau-bench') throw new ValidationError('run spec environment', `${environment.family} is not tau-bench`);
  return environment.domain;
}

export function tauBenchFactories<Pack>(kit: TauKit<Pack>, models: ModelClientOptions): BenchFactories {
  // A failed load is not cached: the next attempt (a resume) tries again.
  const packs = new PackCache<Pack>();
  const pack = (domain: TauDomain, split: string): Promise<Pack> => packs.get(`${domain}/${split}`, () => kit.loadPack(domain, split));
  return {
    createEnv: async (environment, taskIndex, split) => kit.createEnv(await pack(tauDomain(environment), split), tauDomain(environment), taskIndex, split),
    createUser: async ({ environment, taskIndex, split, actor }) =>
      kit.createUser(await pack(tauDomain(environment), split), tauDomain(environment), taskIndex, split, actor),
    ...runModels(models),
    prepare: async (spec) => {
      const domain = tauDomain(spec.environment);
      const p = await pack(domain, spec.split);
      for (const t of spec.taskIndices) kit.checkTask(p, domain, t, spec.split);
    },
  };
}
