import { runPackOptions, type PackChoice, type RunPackLoader } from '../../lib/runs/userbench-packs.ts';
import type { PackLoadProgress, UserBenchPack } from '../../lib/envs/userbench/pack.ts';
import { PackWorkerClient } from '../../lib/envs/userbench/pack-worker-client.ts';
import type { PackLocation } from '../../lib/envs/userbench/pack-worker-protocol.ts';

/**
 * Loads UserBench packs in the pack worker (the data files are ~44 MiB of
 * JSON): one worker for the page, a fresh one if it died. `progress` is the
 * latest load's, while any load runs.
 */
export class UserBenchPacks {
  progress = $state.raw<PackLoadProgress | undefined>(undefined);
  #client: PackWorkerClient | undefined;
  #running = 0;

  load(location: PackLocation, upstreamData: boolean, spec: PackChoice): Promise<UserBenchPack> {
    if (!this.#client || this.#client.dead) {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- the worker script's address, not state
      this.#client = new PackWorkerClient(new Worker(new URL('../../workers/userbench.worker.ts', import.meta.url), { type: 'module' }));
    }
    this.#running++;
    const loading = this.#client.load({ location, upstreamData, options: runPackOptions(spec) }, (p) => (this.progress = p));
    const settle = () => {
      if (--this.#running === 0) this.progress = undefined;
    };
    loading.then(settle, settle);
    return loading;
  }

  /** A run's pack loader: the data files from upstream unless the run names its own scenario files. */
  loaderAt(location: PackLocation): RunPackLoader {
    return (spec) => this.load(location, !(spec.environment.family === 'userbench' && spec.environment.scenarioFiles), spec);
  }
}
