/**
 * A τ³-bench domain's data, loaded at run time (never bundled): its policy,
 * tasks, task splits and database files, read through a `PackSource` laid out
 * as ../shared/tau2-bench (`<domain>/<file>`): the app-served folder, a folder
 * the person opened, or the upstream repository at the pinned commit (raw
 * GitHub), kept in Cache Storage for offline use. Every file is validated
 * where it enters; errors name the file and the field.
 */
import { ValidationError } from '../../errors.ts';
import type { ReadOptions } from '../../net/download.ts';
import type { TransferStatus } from '../../net/transfer-rate.ts';
import { TransferMeter } from '../../net/transfer-rate.ts';
import { z } from 'zod';
import { cachedPackSource, httpPackSource, type PackSource } from '../tau-bench/pack.ts';
import { errorMessage } from '../../errors.ts';
import type { Tau2Domain, Tau2Split } from '../environment.ts';
import { domainEnvFactory, isTau2Domain } from './domains.ts';
import type { Tau2Environment } from './environment.ts';
import { parseTasks, type Tau2Task } from './tasks.ts';

/** The upstream commit the port follows (../shared/tau2-bench/README.md). */
export const TAU2_UPSTREAM_COMMIT = 'a2c024725189473d2d7cea3a5cfdbcc67478e41f';
/** telecom's tasks.json is missing at that commit; release 37199f3 holds the same tasks (tests/fixtures/tau2/README.md). */
export const TAU2_TELECOM_TASKS_COMMIT = '37199f36924c8896f5e048360691f8476cd89ba1';
const RAW = 'https://raw.githubusercontent.com/sierra-research/tau2-bench';
/** The Cache Storage cache that keeps the upstream files. */
export const TAU2_CACHE = 'spotter-tau2';

/** The agent's system prompt around the domain policy (LLMAgent's AGENT_INSTRUCTION and SYSTEM_PROMPT, agent/llm_agent.py). */
export const AGENT_INSTRUCTION = `You are a customer service agent that helps the user according to the <policy> provided below.
In each turn you can either:
- Send a message to the user.
- Make a tool call.
You cannot do both at the same time.

Try to be helpful and always follow the policy. Always make sure you generate valid JSON only.`;

export function agentSystemPrompt(domainPolicy: string): string {
  return `<instructions>\n${AGENT_INSTRUCTION}\n</instructions>\n<policy>\n${domainPolicy}\n</policy>`;
}

/** What each domain reads, relative to its folder, and how its policy is made from those files. */
interface DomainFiles {
  policy: readonly string[];
  /** Tasks files, concatenated in this order. */
  tasks: readonly string[];
  db: readonly string[];
  /** The domain policy from the policy files' texts (in `policy` order). */
  assemblePolicy(texts: readonly string[]): string;
}

const SINGLE: DomainFiles = { policy: ['policy.md'], tasks: ['tasks.json'], db: ['db.json'], assemblePolicy: ([p]) => p ?? '' };

export const DOMAIN_FILES: Record<Tau2Domain, DomainFiles> = {
  airline: SINGLE,
  retail: SINGLE,
  // get_environment(policy_type="manual"): the main policy and the tech-support manual, tagged.
  telecom: {
    policy: ['main_policy.md', 'tech_support_manual.md'],
    tasks: ['tasks.37199f3.json', 'tasks_small.json'],
    db: ['db.toml', 'user_db.toml'],
    assemblePolicy: ([main, manual]) => `<main_policy>\n${main ?? ''}\n</main_policy>\n<tech_support_policy>\n${manual ?? ''}\n</tech_support_policy>`,
  },
};

/** One domain, loaded and validated: what the environment, the user simulator and the critic read. */
export interface Tau2Pack {
  domain: Tau2Domain;
  /** The domain policy (the original's `environment.get_policy()`). */
  domainPolicy: string;
  /** Every task of the domain, in the tasks file's order. */
  tasks: Tau2Task[];
  /** split_tasks.json: task ids per split. */
  splits: Record<string, string[]>;
  /** A fresh environment on its own copy of the initial database(s). */
  makeEnv: () => Tau2Environment;
  /** Where it was read from. */
  describe: string;
}

/** How far a load has got, in bytes over every file of the domain. */
export type Tau2LoadProgress = TransferStatus & { file: string };

const SplitsSchema = z.record(z.string(), z.array(z.string()));

/**
 * The upstream files at the pinned commit, by their pack paths (telecom's tasks from release 37199f3).
 * The airline db.json is not upstream at that commit: it must come from a local folder or the served pack.
 */
export function upstreamTau2Source(fetchFn?: typeof fetch): PackSource {
  const at = (commit: string): PackSource => httpPackSource(`${RAW}/${commit}/data/tau2/domains/`, ...(fetchFn ? [fetchFn] : []));
  const main = at(TAU2_UPSTREAM_COMMIT);
  const telecomTasks = at(TAU2_TELECOM_TASKS_COMMIT);
  return {
    describe: `sierra-research/tau2-bench@${TAU2_UPSTREAM_COMMIT.slice(0, 7)}`,
    readText(path, opts) {
      if (path === 'airline/db.json') return Promise.reject(new Error('not upstream at this commit: open a folder that holds it'));
      if (path === 'telecom/tasks.37199f3.json') return telecomTasks.readText('telecom/tasks.json', opts);
      return main.readText(path, opts);
    },
  };
}

/** The upstream repository, each file kept in Cache Storage once read whole. */
export function cachedUpstreamTau2Source(fetchFn?: typeof fetch): PackSource {
  return cachedPackSource(upstreamTau2Source(fetchFn), TAU2_CACHE);
}

async function readFile(source: PackSource, path: string, opts: ReadOptions): Promise<string> {
  try {
    return await source.readText(path, opts);
  } catch (err) {
    throw new ValidationError(path, `cannot read (${errorMessage(err)}) from ${source.describe}`);
  }
}

export interface LoadTau2Options {
  onProgress?: (p: Tau2LoadProgress) => void;
}

/** Loads one domain: every file read (with byte progress), parsed and validated once. */
export async function loadTau2Pack(source: PackSource, domain: Tau2Domain, opts: LoadTau2Options = {}): Promise<Tau2Pack> {
  if (!isTau2Domain(domain)) throw new ValidationError(`τ³-bench ${domain}`, 'this domain is not ported yet');
  const f = DOMAIN_FILES[domain];
  const meter = new TransferMeter(undefined);
  const read = (name: string): Promise<string> => {
    const path = `${domain}/${name}`;
    return readFile(source, path, {
      onProgress: (s) => {
        const status = meter.add({ file: path, loaded: s.loaded, total: s.total ?? s.loaded });
        opts.onProgress?.({ ...status, file: path });
      },
    });
  };
  const [policyTexts, taskTexts, splitText, dbTexts] = await Promise.all([
    Promise.all(f.policy.map(read)),
    Promise.all(f.tasks.map(read)),
    read('split_tasks.json'),
    Promise.all(f.db.map(read)),
  ]);
  const tasks = taskTexts.flatMap((text, i) => parseTasks(text, `${domain}/${f.tasks[i] ?? ''}`));
  let splitsJson: unknown;
  try {
    splitsJson = JSON.parse(splitText);
  } catch (err) {
    throw new ValidationError(`${domain}/split_tasks.json`, `invalid JSON: ${errorMessage(err)}`);
  }
  const splits = SplitsSchema.safeParse(splitsJson);
  if (!splits.success) throw new ValidationError(`${domain}/split_tasks.json`, splits.error.issues[0]?.message ?? 'invalid');
  const [db] = dbTexts;
  if (db === undefined) throw new ValidationError(`${domain}/${f.db[0] ?? 'db'}`, 'missing');
  let makeEnv: () => Tau2Environment;
  try {
    makeEnv = domainEnvFactory(domain, db);
  } catch (err) {
    throw new ValidationError(`${domain}/${f.db[0] ?? 'db'}`, errorMessage(err));
  }
  return { domain, domainPolicy: f.assemblePolicy(policyTexts), tasks, splits: splits.data, makeEnv, describe: source.describe };
}

/** The tasks of a split, in the tasks file's order (the original's `get_tasks(task_split_name)`). */
export function splitTasks(pack: Tau2Pack, split: Tau2Split): Tau2Task[] {
  const ids = pack.splits[split];
  if (!ids) throw new ValidationError(`${pack.domain}/split_tasks.json`, `no split "${split}" (there are ${Object.keys(pack.splits).join(', ')})`);
  const wanted = new Set(ids);
  return pack.tasks.filter((t) => wanted.has(t.id));
}

/** The task at `taskIndex` of a split, or an error naming the split and the count. */
export function tau2TaskOf(pack: Tau2Pack, split: Tau2Split, taskIndex: number): Tau2Task {
  const tasks = splitTasks(pack, split);
  const task = tasks[taskIndex];
  if (!task) throw new ValidationError(`${pack.domain}/${split}`, `task ${taskIndex} does not exist (there are ${tasks.length})`);
  return task;
}
