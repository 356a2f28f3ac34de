import { z } from 'zod';
import { errorMessage } from '../errors.ts';
import type { EpisodeMeta } from '../loop/events.ts';
import { ToolSchemaSchema, type ToolSchema } from '../types.ts';
import { GoldTaskSchema, type GoldTask } from './gold.ts';
import type { EnvContext } from './pipeline.ts';

/** Reads one JSON file of the benchmark pack, by path relative to the pack root. */
export type ReadPackJson = (path: string) => Promise<unknown>;

const TAU_ENV = /^tau-bench\/(retail|airline)$/;
const isUserBench = (m: EpisodeMeta): boolean => m.environment.startsWith('userbench/');

/** A pack served over HTTP at `base` (the app's own copy is at tau-bench/ under the app's folder). */
export function httpPackReader(base: string, fetchFn: typeof fetch = fetch): ReadPackJson {
  return async (path) => {
    const res = await fetchFn(`${base}${path}`);
    if (!res.ok) throw new Error(`${base}${path}: HTTP ${res.status}`);
    const value: unknown = await res.json();
    return value;
  };
}

export interface LoadedContext {
  ctx: EnvContext;
  /** What could not be loaded: prompts of those episodes then lack the tool list and outcome labels lack gold. */
  problems: string[];
}

/**
 * Tools and gold tasks for the environments the episodes ran in. tau-bench
 * episodes (environment `tau-bench/<domain>`) get the pack's tools.json and
 * tasks_<split>.json; UserBench episodes (`userbench/…`) get the UserBench
 * pack's tool (`readUserBench`), no gold; other environments (policy chat)
 * have no tools and no gold.
 */
export async function loadEnvContext(metas: readonly EpisodeMeta[], read: ReadPackJson, readUserBench?: ReadPackJson): Promise<LoadedContext> {
  const tools = new Map<string, ToolSchema[]>();
  const tasks = new Map<string, GoldTask[]>();
  const problems: string[] = [];
  const wanted = new Map<string, Set<string>>();
  for (const m of metas) {
    const domain = TAU_ENV.exec(m.environment)?.[1];
    if (!domain) continue;
    const splits = wanted.get(domain) ?? new Set<string>();
    splits.add(m.taskSplit ?? 'test');
    wanted.set(domain, splits);
  }
  for (const [domain, splits] of wanted) {
    try {
      tools.set(domain, z.array(ToolSchemaSchema).parse(await read(`${domain}/tools.json`)));
    } catch (err) {
      problems.push(`${domain}/tools.json: ${errorMessage(err)}`);
    }
    for (const split of splits) {
      try {
        tasks.set(`${domain}/${split}`, z.array(GoldTaskSchema).parse(await read(`${domain}/tasks_${split}.json`)));
      } catch (err) {
        problems.push(`${domain}/tasks_${split}.json: ${errorMessage(err)}`);
      }
    }
  }
  let userBenchTools: ToolSchema[] = [];
  if (metas.some(isUserBench)) {
    try {
      if (!readUserBench) throw new Error('no UserBench pack given');
      userBenchTools = z.array(ToolSchemaSchema).parse(await readUserBench('prompts/tools.json'));
    } catch (err) {
      problems.push(`userbench prompts/tools.json: ${errorMessage(err)}`);
    }
  }
  const domainOf = (m: EpisodeMeta): string | undefined => TAU_ENV.exec(m.environment)?.[1];
  return {
    problems,
    ctx: {
      // The critic saw these tools at run time: its training prompts must list them too.
      toolsOf: (m) => (isUserBench(m) ? userBenchTools : (tools.get(domainOf(m) ?? '') ?? [])),
      goldOf: (m) => {
        const d = domainOf(m);
        return d && m.taskIndex !== undefined ? tasks.get(`${d}/${m.taskSplit ?? 'test'}`)?.[m.taskIndex] : undefined;
      },
    },
  };
}
