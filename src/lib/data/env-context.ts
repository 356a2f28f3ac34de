import { TaskSplitSchema, Tau2SplitSchema, TAU2_SPLITS, tauDomainOf, type TaskSplit, type Tau2Domain, type TauDomain } from '../envs/environment.ts';
import type { PackSource, TauPack } from '../envs/tau-bench/pack.ts';
import type { Tau2Pack } from '../envs/tau2/pack.ts';
import { loadUserBenchTool } from '../envs/userbench/pack.ts';
import { errorMessage, ValidationError } from '../errors.ts';
import type { DataSource, EpisodeMeta } from '../loop/events.ts';
import type { ToolSchema } from '../contracts.ts';
import { goldTaskOf, tau2GoldTaskOf, type GoldTask } from './gold.ts';
import type { EnvContext } from './pipeline.ts';

/** One domain and split of the tau-bench pack, loaded and validated by pack.ts (in the app: through its one pack cache). */
export type LoadTauPack = (domain: TauDomain, split: TaskSplit) => Promise<TauPack>;

/**
 * One τ³-bench domain from where the episodes read it (`meta.dataSource`; absent in episodes recorded before
 * it was kept), loaded and validated by tau2/pack.ts (in the app: the Chat tab's τ³ packs and cache).
 */
export type LoadTau2Pack = (domain: Tau2Domain, dataSource: DataSource | undefined) => Promise<Tau2Pack>;

interface LoadedContext {
  ctx: EnvContext;
  /** What could not be loaded: prompts of those episodes then lack the tool list and outcome labels lack gold. */
  problems: string[];
}

/**
 * Tools and gold tasks for the environments the episodes ran in. tau-bench
 * episodes get their domain's tools and their split's tasks from the pack
 * (`loadTau`); UserBench episodes get the UserBench pack's tool, read by
 * the UserBench pack loader from `userBench`, no gold; τ³-bench episodes get the agent tools their
 * domain offers (the schemas the agent and the critic saw) and their task's gold agent actions from the
 * τ³ data they read (`loadTau2`, once per data source and domain; the port loads only when such episodes exist); other environments (policy chat)
 * have no tools and no gold.
 */
export async function loadEnvContext(metas: readonly EpisodeMeta[], loadTau: LoadTauPack, userBench?: PackSource, loadTau2?: LoadTau2Pack): Promise<LoadedContext> {
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
  const tau2 = await loadTau2Context(metas, problems, loadTau2);
  return {
    problems,
    ctx: {
      // The critic saw these tools at run time: its training prompts must list them too.
      toolsOf: (m) => {
        if (m.environment.family === 'userbench') return userBenchTools;
        if (m.environment.family === 'tau2') return tau2.tools.get(m.environment.domain) ?? [];
        const d = tauDomainOf(m.environment);
        return (d && tools.get(d)) ?? [];
      },
      goldOf: (m) => {
        if (m.environment.family === 'tau2') return m.taskIndex !== undefined ? tau2.tasks.get(tau2TasksKey(m.dataSource, m.environment.domain, m.taskSplit))?.[m.taskIndex] : undefined;
        const d = tauDomainOf(m.environment);
        return d && m.taskIndex !== undefined ? tasks.get(`${d}/${m.taskSplit ?? 'test'}`)?.[m.taskIndex] : undefined;
      },
    },
  };
}

/** Where a τ³ episode's gold is kept: its data source's domain and split. */
function tau2TasksKey(dataSource: DataSource | undefined, domain: Tau2Domain, split: string | undefined): string {
  return JSON.stringify([dataSource ?? null, domain, split ?? 'test']);
}

/** τ³ episodes' tools by domain and gold by data source, domain and split (`tau2TasksKey`); what cannot be loaded goes to `problems`. */
async function loadTau2Context(
  metas: readonly EpisodeMeta[],
  problems: string[],
  loadTau2: LoadTau2Pack | undefined,
): Promise<{ tools: Map<Tau2Domain, ToolSchema[]>; tasks: Map<string, GoldTask[]> }> {
  const tools = new Map<Tau2Domain, ToolSchema[]>();
  const tasks = new Map<string, GoldTask[]>();
  // Each data source's domains and their splits: episodes of one domain may have read different data.
  const wanted = new Map<DataSource | undefined, Map<Tau2Domain, Set<string>>>();
  for (const m of metas) {
    if (m.environment.family !== 'tau2') continue;
    const domains = wanted.get(m.dataSource) ?? new Map<Tau2Domain, Set<string>>();
    const splits = domains.get(m.environment.domain) ?? new Set<string>();
    splits.add(m.taskSplit ?? 'test');
    domains.set(m.environment.domain, splits);
    wanted.set(m.dataSource, domains);
  }
  if (wanted.size === 0) return { tools, tasks };
  // The τ³ port loads with the first τ³ episode, not with the Data tab.
  const [{ TOOL_SCHEMAS }, { splitTasks }] = await Promise.all([import('../envs/tau2/tool-schemas.ts'), import('../envs/tau2/pack.ts')]);
  for (const [dataSource, domains] of wanted) {
    for (const [domain, splits] of domains) {
      tools.set(domain, TOOL_SCHEMAS[domain].agent);
      try {
        if (!loadTau2) throw new ValidationError('τ³ data', 'none given, so these episodes have no gold actions');
        const pack = await loadTau2(domain, dataSource);
        for (const split of splits) {
          try {
            const s = Tau2SplitSchema.safeParse(split);
            if (!s.success) throw new ValidationError(`${domain}/split_tasks.json`, `"${split}" is not a task split (${TAU2_SPLITS.join(', ')})`);
            tasks.set(tau2TasksKey(dataSource, domain, split), splitTasks(pack, s.data).map(tau2GoldTaskOf));
          } catch (err) {
            problems.push(`τ³ ${errorMessage(err)}`);
          }
        }
      } catch (err) {
        problems.push(`τ³ ${domain}: ${errorMessage(err)}`);
      }
    }
  }
  return { tools, tasks };
}
