/**
 * τ³-bench (tau2-bench a2c0247) command line:
 *
 *   npm run --silent tau2 -- replay --domain D --task-id ID [--actions actions.json] [--data-dir DIR]
 *     [--judge-base-url URL --judge-model M [--judge-kind openai-compatible|anthropic]]   (key: SPOTTER_JUDGE_KEY)
 *
 * Replays the task's gold actions (or the actions file, format in docs/tau2.md)
 * on a fresh environment and prints one JSON line: the observations (agent and
 * user side), the final DB hash(es), and the reward with its breakdown named as
 * the original names it (DB, COMMUNICATE, ENV_ASSERTION, ACTION, NL_ASSERTION).
 * Data: DIR/<domain>/{db.json,tasks.json} (telecom: db.toml, user_db.toml and its task files, see
 * dataPaths); by default ../shared/tau2-bench, with the airline db.json that `npm run fixtures`
 * rebuilds (.fixtures/tau2/airline).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJson } from '../src/lib/envs/tau-bench/py.ts';
import { domainEnvFactory, isTau2Domain, TAU2_DOMAIN_SPECS, TAU2_DOMAINS, type Tau2Domain } from '../src/lib/envs/tau2/domains.ts';
import { goldSteps, parseReplaySteps, replay } from '../src/lib/envs/tau2/replay.ts';
import { parseTasks, type Tau2Task } from '../src/lib/envs/tau2/tasks.ts';
import type { Tau2Environment } from '../src/lib/envs/tau2/environment.ts';
import type { TelecomEnvOptions } from '../src/lib/envs/tau2/telecom/index.ts';
import { actorNlJudge } from '../src/lib/envs/tau2/nl-judge.ts';
import type { NlJudge } from '../src/lib/envs/tau2/evaluator.ts';
import { providerActor } from '../src/lib/actor/index.ts';
import { ProviderConfigSchema } from '../src/lib/actor/provider.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface DataPaths {
  db: string;
  /** telecom's user_db.toml */
  userDb?: string;
  /** Task files, read in order and concatenated. */
  tasks: string[];
}

/**
 * Where a domain's files are. Telecom: db.toml and user_db.toml, and its tasks from two files, since
 * the a2c0247 tasks.json is not in ../shared: tasks.37199f3.json (the 114 `base` tasks) and
 * tasks_small.json (the 20 `small` ones); see docs/tau2.md.
 */
export function dataPaths(domain: Tau2Domain, dataDir?: string): DataPaths {
  const { files } = TAU2_DOMAIN_SPECS[domain];
  const dir = dataDir ? join(dataDir, domain) : resolve(ROOT, '../shared/tau2-bench', domain);
  const upstreamTasks = join(dir, files.tasks);
  const tasks = files.localTasks === undefined || (dataDir && existsSync(upstreamTasks)) ? [upstreamTasks] : files.localTasks.map((f) => join(dir, f));
  const db = domain === 'airline' && !dataDir ? join(ROOT, '.fixtures/tau2/airline/db.json') : join(dir, files.db);
  return { db, userDb: files.userDb === undefined ? undefined : join(dir, files.userDb), tasks };
}

/** Loads a domain's tasks and its environment factory from `dataPaths`. */
export function loadDomain(domain: Tau2Domain, paths: DataPaths, opts: TelecomEnvOptions = {}): { tasks: Tau2Task[]; makeEnv: () => Tau2Environment } {
  const tasks = paths.tasks.flatMap((p) => parseTasks(readFileSync(p, 'utf8'), p));
  const userDb = paths.userDb === undefined ? undefined : readFileSync(paths.userDb, 'utf8');
  return { tasks, makeEnv: domainEnvFactory(domain, { db: readFileSync(paths.db, 'utf8'), userDb }, opts) };
}

function usage(msg: string): never {
  console.error(
    `${msg}\nusage: npm run --silent tau2 -- replay --domain ${TAU2_DOMAINS.join('|')} --task-id ID [--actions FILE] [--data-dir DIR]` +
      ' [--judge-base-url URL --judge-model M [--judge-kind openai-compatible|anthropic]] (judge key: SPOTTER_JUDGE_KEY)',
  );
  process.exit(2);
}

/** The NL-assertion judge the options name (the user's key from SPOTTER_JUDGE_KEY, temperature 0); none: NL_ASSERTION is "not judged". */
function judgeFrom(opts: Map<string, string>): NlJudge | null {
  const model = opts.get('judge-model');
  if (model === undefined) return null;
  const cfg = ProviderConfigSchema.safeParse({
    kind: opts.get('judge-kind') ?? 'openai-compatible',
    baseUrl: opts.get('judge-base-url'),
    model,
    apiKey: process.env['SPOTTER_JUDGE_KEY'] ?? '',
    temperature: 0,
    maxTokens: 4096,
  });
  if (!cfg.success) usage(`bad judge options: ${cfg.error.issues[0]?.path.join('.') ?? ''} ${cfg.error.issues[0]?.message ?? ''}`);
  return actorNlJudge(providerActor(cfg.data));
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (cmd !== 'replay') usage(`unknown command: ${cmd ?? '(none)'}`);
  const opts = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const k = rest[i];
    const v = rest[i + 1];
    if (!k?.startsWith('--') || v === undefined) usage(`bad option near ${k ?? ''}`);
    opts.set(k.slice(2), v);
  }
  const domain = opts.get('domain') ?? '';
  if (!isTau2Domain(domain)) usage(`--domain must be one of ${TAU2_DOMAINS.join(', ')}`);
  const taskId = opts.get('task-id');
  if (taskId === undefined) usage('--task-id is required');
  const paths = dataPaths(domain, opts.get('data-dir'));
  for (const p of [paths.db, ...(paths.userDb === undefined ? [] : [paths.userDb]), ...paths.tasks]) {
    if (!existsSync(p)) usage(`missing data file ${p}${p.includes('.fixtures') ? ' (run npm run fixtures)' : ''}`);
  }
  const { tasks, makeEnv } = loadDomain(domain, paths);
  const task = tasks.find((t) => t.id === taskId);
  if (task === undefined) usage(`no task ${taskId} in ${paths.tasks.join(', ')}`);
  const actionsFile = opts.get('actions');
  const steps = actionsFile ? parseReplaySteps(parseJson(readFileSync(actionsFile, 'utf8')), actionsFile) : goldSteps(task);
  const r = await replay(task, steps, makeEnv, judgeFrom(opts));
  const out = {
    domain,
    task_id: task.id,
    observations: r.observations,
    db_hash: r.dbHash,
    user_db_hash: r.userDbHash,
    reward: r.reward.reward,
    reward_breakdown: r.reward.breakdown,
    reward_basis: task.criteria?.rewardBasis ?? [],
    nl_assertions: r.reward.nl === 'not judged' ? 'not judged' : r.reward.nl === 'not needed' ? null : r.reward.nl,
    db_match: r.reward.dbMatch,
    action_checks: r.reward.actionChecks,
    communicate_checks: r.reward.communicateChecks,
    env_assertions: r.reward.envAssertions,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
