/**
 * Run set-up, the one way: the runner's factories for a run's environment
 * family, from where its packs are read and its model clients. The Benchmark
 * tab and the headless CLI both call it; each only says where its packs are.
 */
import type { BenchEnvironment } from '../envs/bench-environment.ts';
import type { PackSource } from '../envs/tau-bench/pack.ts';
import type { ModelClientOptions } from './models.ts';
import type { BenchFactories } from './runner.ts';
import { tauBenchFactories } from './tau-factories.ts';
import { sourceTauKit } from './tau-kit.ts';
import { tau2Factories, type Tau2PackLoader } from './tau2-factories.ts';
import { userBenchFactories } from './userbench-factories.ts';
import type { RunPackLoader } from './userbench-packs.ts';

/** Where a run's packs come from, by family; asked only for the run's own family. */
interface RunPackSources {
  tauBench(): PackSource;
  userBench(): RunPackLoader;
  tau2(): Tau2PackLoader;
}

export function runFactories(environment: BenchEnvironment, packs: RunPackSources, models: ModelClientOptions): BenchFactories {
  switch (environment.family) {
    case 'tau-bench':
      return tauBenchFactories(sourceTauKit(packs.tauBench()), models);
    case 'userbench':
      return userBenchFactories(packs.userBench(), models);
    case 'tau2':
      return tau2Factories(packs.tau2(), models);
  }
}
