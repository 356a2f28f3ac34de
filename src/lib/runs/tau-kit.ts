/**
 * The tau-bench kit the runner's factories use: a pack from any source
 * (HTTP in the browser, a folder under Node), the ported environment, and
 * the original's LLM user simulator.
 */
import { ValidationError } from '../errors.ts';
import { createTauEnv } from '../envs/tau-bench/env.ts';
import { TASK_SPLITS, type TaskSplit } from '../envs/environment.ts';
import { loadTauPack, taskOf, type PackSource, type TauPack } from '../envs/tau-bench/pack.ts';
import { tauBenchUser } from '../setup/environments.ts';
import type { TauKit } from './tau-factories.ts';

function taskSplit(split: string): TaskSplit {
  const s = TASK_SPLITS.find((x) => x === split);
  if (!s) throw new ValidationError('run spec split', `"${split}" is not one of ${TASK_SPLITS.join(', ')}`);
  return s;
}

export function sourceTauKit(source: PackSource): TauKit<TauPack> {
  return {
    loadPack: (domain, split) => loadTauPack(source, [domain], { [domain]: [taskSplit(split)] }),
    createEnv: (pack, domain, taskIndex, split) => createTauEnv(pack, domain, taskIndex, taskSplit(split)),
    createUser: (pack, domain, taskIndex, split, actor) => tauBenchUser(pack, domain, taskSplit(split), taskIndex, actor),
    checkTask: (pack, domain, taskIndex, split) => void taskOf(pack, domain, taskIndex, taskSplit(split)),
  };
}
