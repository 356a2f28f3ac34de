/**
 * A τ³-bench domain's data, loaded at run time (never bundled): its policy,
 * tasks, task splits and database files, read through a `PackSource` laid out
 * as ../shared/tau2-bench (`<domain>/<file>`): the app-served folder, a folder
 * the person opened, or the upstream repository at the pinned commit (raw
 * GitHub), kept in Cache Storage for offline use. Every file is validated
 * where it enters; errors name the file and the field.
 */
import { z } from 'zod';
import { errorMessage, ValidationError } from '../../errors.ts';
import type { ReadOptions } from '../../net/download.ts';
import { TransferMeter } from '../../net/transfer-rate.ts';
import { cachedPackSource, httpPackSource, type PackSource } from '../tau-bench/pack.ts';
import { TAU2_SPLITS, type Tau2Domain, type Tau2Split } from '../environment.ts';
import { domainDbs, envFactoryOf, TAU2_DOMAIN_SPECS, type Tau2DomainDbs } from './domains.ts';
import type { Tau2Environment } from './environment.ts';
import { parseTaskList, taskFromRaw, type Tau2Task } from './tasks.ts';
import type { PyValue } from '../tau-bench/py.ts';

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

/** One domain, loaded and validated: what the environment, the user simulator and the critic read. */
export interface Tau2Pack {
  domain: Tau2Domain;
  /** The domain policy (the original's `environment.get_policy()`). */
  domainPolicy: string;
  /** Every task of the domain, in the tasks file's order. */
  tasks: Tau2Task[];
  /** The same tasks as their tasks.json objects (Python's json.load), for tau2's results file. */
  rawTasks: readonly PyValue[];
  /** split_tasks.json: task ids per split. */
  splits: Record<string, string[]>;
  /** A fresh environment on its own copy of the initial database(s). */
  makeEnv: () => Tau2Environment;
  /** Where it was read from. */
  describe: string;
}

/** A pack before its environment factory: what the pack worker sends to the page (pack-wire.ts). */
export type Tau2PackData = Omit<Tau2Pack, 'makeEnv'> & {
  dbs: Tau2DomainDbs;
  /** The task files read, in order, with how many tasks each gave (`rawTasks` follow them). */
  taskFiles: Array<{ path: string; count: number }>;
};

/** How far a load has got, in bytes over every file of the domain (a TransferStatus and the file just read). */
export const Tau2LoadProgressSchema = z.object({
  file: z.string(),
  loaded: z.number().nonnegative(),
  total: z.number().nonnegative().optional(),
  bytesPerSecond: z.number().optional(),
  etaSeconds: z.number().optional(),
  estimated: z.boolean(),
});
export type Tau2LoadProgress = z.infer<typeof Tau2LoadProgressSchema>;

const SplitsSchema = z.record(z.string(), z.array(z.string()));

/**
 * The upstream files at the pinned commit (`data/tau2/domains/<domain>/<file>`), by their pack paths.
 * A local copy's `tasks.37199f3.json` is read from release 37199f3, where it is telecom's tasks.json.
 */
export function upstreamTau2Source(fetchFn?: typeof fetch): PackSource {
  const at = (commit: string): PackSource => httpPackSource(`${RAW}/${commit}/data/tau2/domains/`, ...(fetchFn ? [fetchFn] : []));
  const main = at(TAU2_UPSTREAM_COMMIT);
  const telecomTasks = at(TAU2_TELECOM_TASKS_COMMIT);
  return {
    describe: `sierra-research/tau2-bench@${TAU2_UPSTREAM_COMMIT.slice(0, 7)}`,
    readText: (path, opts) => (path === 'telecom/tasks.37199f3.json' ? telecomTasks.readText('telecom/tasks.json', opts) : main.readText(path, opts)),
  };
}

/** The upstream repository, each file kept in Cache Storage once read whole. */
export function cachedUpstreamTau2Source(fetchFn?: typeof fetch, storage?: CacheStorage): PackSource {
  return storage ? cachedPackSource(upstreamTau2Source(fetchFn), TAU2_CACHE, storage) : cachedPackSource(upstreamTau2Source(fetchFn), TAU2_CACHE);
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
  /**
   * The source holds the upstream layout: telecom's full tasks.json (2,285 tasks). Otherwise (a copy laid
   * out as ../shared/tau2-bench) the domain's local task files are read where it names them.
   */
  upstream?: boolean;
}

/** Loads one domain: every file read (with byte progress), parsed and validated once. */
export async function loadTau2Pack(source: PackSource, domain: Tau2Domain, opts: LoadTau2Options = {}): Promise<Tau2Pack> {
  const { dbs, taskFiles: _files, ...pack } = await loadTau2PackData(source, domain, opts);
  return { ...pack, makeEnv: envFactoryOf(domain, dbs) };
}

/** `loadTau2Pack` up to the environment factory: the validated database(s) as values (the pack worker posts them). */
export async function loadTau2PackData(source: PackSource, domain: Tau2Domain, opts: LoadTau2Options = {}): Promise<Tau2PackData> {
  const spec = TAU2_DOMAIN_SPECS[domain];
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
  const taskFiles = opts.upstream === true ? [spec.files.tasks] : (spec.files.localTasks ?? [spec.files.tasks]);
  const [policyTexts, taskTexts, splitText, db, userDb] = await Promise.all([
    Promise.all(spec.files.policyFiles.map(read)),
    Promise.all(taskFiles.map(read)),
    read(spec.files.splits),
    read(spec.files.db),
    spec.files.userDb === undefined ? undefined : read(spec.files.userDb),
  ]);
  const rawTasks: PyValue[] = [];
  const tasks: Tau2Task[] = [];
  const files: Tau2PackData['taskFiles'] = [];
  taskTexts.forEach((text, i) => {
    const path = `${domain}/${taskFiles[i] ?? ''}`;
    let raws: PyValue[];
    try {
      raws = parseTaskList(text, path);
      raws.forEach((raw, j) => tasks.push(taskFromRaw(raw, j, path)));
    } catch (err) {
      const message = errorMessage(err);
      throw new ValidationError(path, message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message);
    }
    rawTasks.push(...raws);
    files.push({ path, count: raws.length });
  });
  let splitsJson: unknown;
  try {
    splitsJson = JSON.parse(splitText);
  } catch (err) {
    throw new ValidationError(`${domain}/${spec.files.splits}`, `invalid JSON: ${errorMessage(err)}`);
  }
  const splits = SplitsSchema.safeParse(splitsJson);
  if (!splits.success) {
    const issue = splits.error.issues[0];
    throw new ValidationError(`${domain}/${spec.files.splits}`, issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid');
  }
  let dbs: Tau2DomainDbs;
  try {
    dbs = domainDbs(domain, userDb === undefined ? { db } : { db, userDb });
  } catch (err) {
    throw new ValidationError(`${domain}/${spec.files.db}${spec.files.userDb ? ` or ${spec.files.userDb}` : ''}`, errorMessage(err));
  }
  return { domain, domainPolicy: spec.policy(policyTexts), tasks, rawTasks, splits: splits.data, dbs, taskFiles: files, describe: source.describe };
}

/** How many of a split's task ids the pack holds tasks for, of how many. */
function splitHeld(pack: Pick<Tau2Pack, 'tasks'>, ids: readonly string[]): { held: number; total: number } {
  const have = new Set(pack.tasks.map((t) => t.id));
  const wanted = new Set(ids);
  let held = 0;
  for (const id of wanted) if (have.has(id)) held++;
  return { held, total: wanted.size };
}

/**
 * The splits whose every task the pack holds, in TAU2_SPLITS order: the ones a person may pick (telecom's
 * `full` only with upstream's tasks.json).
 */
export function wholeSplits(pack: Pick<Tau2Pack, 'tasks' | 'splits'>): Tau2Split[] {
  return TAU2_SPLITS.filter((s) => {
    const ids = pack.splits[s];
    if (!ids) return false;
    const { held, total } = splitHeld(pack, ids);
    return held === total;
  });
}

/**
 * The tasks of a split, in the tasks file's order (the original's `get_tasks(task_split_name)`). Never a
 * part of one: data that lacks some of the split's tasks is an error naming both counts.
 */
export function splitTasks(pack: Tau2Pack, split: Tau2Split): Tau2Task[] {
  const ids = pack.splits[split];
  if (!ids) throw new ValidationError(`${pack.domain}/split_tasks.json`, `no split "${split}" (there are ${Object.keys(pack.splits).join(', ')})`);
  const { held, total } = splitHeld(pack, ids);
  if (held < total) {
    const n = (x: number): string => x.toLocaleString('en-US');
    throw new ValidationError(
      `${pack.domain}/${split}`,
      `split ${split} has ${n(total)} tasks; this data (${pack.describe}) holds ${n(held)} of them: ` +
        `load τ³ data from GitHub (tau2-bench at ${TAU2_UPSTREAM_COMMIT.slice(0, 7)}) to run it`,
    );
  }
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
