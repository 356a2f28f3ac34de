import { TaskSplitSchema, tauDomainOf, type TaskSplit, type TauDomain } from '../envs/environment.ts';
import type { PackSource, TauPack } from '../envs/tau-bench/pack.ts';
import { loadUserBenchTool } from '../envs/userbench/pack.ts';
import { errorMessage, ValidationError } from '../errors.ts';
import type { EpisodeMeta } from '../loop/events.ts';
import type { ToolSchema } from '../contracts.ts';
import { goldTaskOf, type GoldTask } from './gold.ts';
import type { EnvContext } from './pipeline.ts';

/** One domain and split of the tau-bench pack, loaded and validated by pack.ts (in the app: through its one pack cache). */
export type LoadTauPack = (domain: TauDomain, split: TaskSplit) => Promise<TauPack>;

interface LoadedContext {
  ctx: EnvContext;
  /** What could not be loaded: prompts of those episodes then lack the tool list and outcome labels lack gold. */
  problems: string[];
}

/**
 * Tools and gold tasks for the environments the episodes ran in. tau-bench
 * episodes get their domain's tools and their split's tasks from the pack
 * (`loadTau`); UserBench episodes get the UserBench pack's tool, read by
 * the UserBench pack loader from `userBench`, no gold; other environments (policy chat) have no tools
 * and no gold.
 */
export async function loadEnvContext(metas: readonly EpisodeMeta[], loadTau: LoadTauPack, userBench?: PackSource): Promise<LoadedContext> {
  const tools = new Map<TauDomain, ToolSchema[]>();
  const tasks = new Map<string, GoldTask[]>();
  const problems: string[] = [];
  const wanted = new Map<TauDomain, Set<string>>();
  for (const m of metas) {
    const domain = tauDomainOf(m.environment);
    if (!domain) continue;
    const splits = wanted.get(domain) ?? new Set<string>();
    splits.add(m.taskSplit ?? 'test');
    wanted.set(domain, splits);
  }
  for (const [domain, splits] of wanted) {
    // Tools come with any split; the test split is the one every domain has.
    for (const split of new Set(['test', ...splits])) {
      try {
        const s = TaskSplitSchema.safeParse(split);
        if (!s.success) throw new Error(`${domain}/tasks_${split}.json: not a task split (${TaskSplitSchema.options.join(', ')})`);
        const d = (await loadTau(domain, s.data)).domains[domain];
        if (!d) throw new Error(`${domain}: not in the pack`);
        if (!tools.has(domain)) tools.set(domain, d.tools);
        if (splits.has(split)) tasks.set(`${domain}/${split}`, (d.tasks[s.data] ?? []).map(goldTaskOf));
      } catch (err) {
        problems.push(errorMessage(err));
      }
    }
  }
  let userBenchTools: ToolSchema[] = [];
  if (metas.some((m) => m.environment.family === 'userbench')) {
    try {
      if (!userBench) throw new ValidationError('prompts/tools.json', 'no UserBench pack given');
      userBenchTools = [await loadUserBenchTool(userBench)];
    } catch (err) {
      problems.push(`userbench ${errorMessage(err)}`);
    }
  }
  return {
    problems,
    ctx: {
      // The critic saw these tools at run time: its training prompts must list them too.
      toolsOf: (m) => {
        if (m.environment.family === 'userbench') return userBenchTools;
        const d = tauDomainOf(m.environment);
        return (d && tools.get(d)) ?? [];
      },
      goldOf: (m) => {
        const d = tauDomainOf(m.environment);
        return d && m.taskIndex !== undefined ? tasks.get(`${d}/${m.taskSplit ?? 'test'}`)?.[m.taskIndex] : undefined;
      },
    },
  };
}
