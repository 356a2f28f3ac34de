/**
 * The headless runner's command line, as a pure function from argv and the
 * environment to a run spec and key lookup, so it is tested without spawning.
 * Keys come only from the environment: argv is logged by shells and process lists.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ValidationError } from '../src/lib/errors.ts';
import type { CriticMode } from '../src/lib/contracts.ts';
import { RemoteEngineSchema, type ModelSpec, type RemoteEngine } from '../src/lib/setup/specs.ts';
import { parseRunSpec, parseTaskRange, type RunSpec } from '../src/lib/runs/plan.ts';
import { parseShard, type Shard } from '../src/lib/runs/shard.ts';
import { specDifferences } from '../src/lib/runs/units.ts';
import { USERBENCH_SAMPLES } from '../src/lib/runs/userbench-packs.ts';
import { BENCH_ENVIRONMENTS, benchEnvironmentNamed, episodeEnvironment } from '../src/lib/envs/bench-environment.ts';
import { environmentName } from '../src/lib/envs/environment.ts';

export const HEADLESS_USAGE = `Usage: npm run headless -- --domain tau2/retail|tau2/airline|tau2/telecom|retail|airline|travel22|travel33|travel44 --tasks 0-9 --trials 3
  --actor-base-url URL --actor-model MODEL [--actor-kind openai-compatible|anthropic]
  [--user-base-url URL --user-model MODEL [--user-kind ...]]  simulated user (default: the actor's endpoint and model;
                                                    UserBench: its judges and user, default gpt-4o at temperature 0)
  [--one-choice] [--max-steps 20]                   UserBench: one answer per aspect; turns per episode
  [--tasks-file FILE] [--scenario-files A,B,...]    UserBench: a task index and scenario files in --data-dir instead of
                                                    <env>_multiturn[_onechoice]_<split>.json and the eight upstream data files
  [--samples]                                       UserBench: the three sample scenarios of ../shared/userbench (tasks 0-2)
  [--judge-model M [--judge-base-url URL] [--judge-kind ...]]
                                                    τ³: the NL-assertion judge (the original's: gpt-4.1-2025-04-14); without
                                                    one, rewards that need it are "not judged". Key: SPOTTER_USER_KEY
  (τ³ splits: base, train, test; telecom also small, and full with upstream's telecom/tasks.json in --data-dir.
   τ³ --max-steps default 100 agent steps)
  [--critic-base-url URL --critic-model MODEL [--critic-kind ...] [--critic-context N]]
                                                    N: the critic's context window in tokens (prompts are budgeted to it,
                                                    so a large hosted model can stand in for a small model's window)
  [--configs off,monitor,intervene]                 default: off, plus intervene when a critic is given
  [--max-revisions 2] [--concurrency 4] [--split test] [--data-dir ../shared/tau-bench | ../shared/userbench | ../shared/tau2-bench]
  [--prices prices.json] [--state results.json.state.json] [--fresh]
  --out results.json
Sweeps (docs/sweeps.md):
  [--run-id ID]                                     the run's id (every shard of a sweep: the same)
  [--shard i/n]                                     only the units of shard i of n (1-based)
  [--list-units]                                    print the unit ids (of the shard), one a line, and exit
  [--dry-run [--estimate-from STATE.json]]          print the units and the calls, tokens and cost they would take
                                                    (per episode: a pilot run's means, or the default profile); send nothing
  [--max-rpm N]                                     at most N requests a minute to each provider host (Retry-After still honoured)
  npm run headless -- merge A.json.state.json B.json.state.json ... --out all.json [--prices P] [--summary-md FILE]
                                                    [--data-dir DIR] (τ³: the tasks for tau2-bench's results file)
Keys: SPOTTER_ACTOR_KEY, SPOTTER_CRITIC_KEY (default: the actor's key), SPOTTER_USER_KEY (default: the actor's key).`;

export interface HeadlessOptions {
  /** Run the units, list their ids, or estimate what they would take. */
  action: 'run' | 'list-units' | 'dry-run';
  spec: RunSpec;
  /** Only this shard's units; undefined: all of them. */
  shard: Shard | undefined;
  /** Requests a minute to each provider host; undefined: no limit but the provider's. */
  maxRpm: number | undefined;
  /** A state file or merged record whose means the dry run's estimate uses. */
  estimateFrom: string | undefined;
  out: string;
  statePath: string;
  dataDir: string;
  pricesPath: string | undefined;
  fresh: boolean;
  keys: { actor: string; user: string; critic: string };
}

const MODE_LABELS: Record<CriticMode, string> = { off: 'actor alone', monitor: 'critic monitor', intervene: 'critic intervene' };

function int(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ValidationError(`--${name}`, `"${v}" is not a whole number`);
  return n;
}

/** An API style named on the command line, checked where it enters. */
function remoteEngine(name: string, v: string | undefined, dflt: RemoteEngine): RemoteEngine {
  if (v === undefined) return dflt;
  const r = RemoteEngineSchema.safeParse(v);
  if (!r.success) throw new ValidationError(`--${name}`, `"${v}" is not ${RemoteEngineSchema.options.join(' or ')}`);
  return r.data;
}

function required(name: string, v: string | undefined): string {
  if (!v) throw new ValidationError(`--${name}`, 'is required');
  return v;
}

/** The run's flags, as parseArgs reads them (the sweep workflow's test checks its commands against this table). */
export const HEADLESS_OPTIONS = {
  domain: { type: 'string' },
  tasks: { type: 'string' },
  trials: { type: 'string' },
  split: { type: 'string' },
  'actor-base-url': { type: 'string' },
  'actor-model': { type: 'string' },
  'actor-kind': { type: 'string' },
  'user-base-url': { type: 'string' },
  'user-model': { type: 'string' },
  'user-kind': { type: 'string' },
  'critic-base-url': { type: 'string' },
  'critic-model': { type: 'string' },
  'critic-kind': { type: 'string' },
  'critic-context': { type: 'string' },
  configs: { type: 'string' },
  'max-revisions': { type: 'string' },
  concurrency: { type: 'string' },
  'data-dir': { type: 'string' },
  prices: { type: 'string' },
  state: { type: 'string' },
  fresh: { type: 'boolean' },
  out: { type: 'string' },
  'one-choice': { type: 'boolean' },
  'max-steps': { type: 'string' },
  'tasks-file': { type: 'string' },
  'scenario-files': { type: 'string' },
  samples: { type: 'boolean' },
  'judge-model': { type: 'string' },
  'judge-base-url': { type: 'string' },
  'judge-kind': { type: 'string' },
  // Sweeps (docs/sweeps.md)
  'run-id': { type: 'string' },
  shard: { type: 'string' },
  'list-units': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'estimate-from': { type: 'string' },
  'max-rpm': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** The merge subcommand's flags; the files to merge are its positional arguments. */
export const MERGE_OPTIONS = {
  out: { type: 'string' },
  prices: { type: 'string' },
  'summary-md': { type: 'string' },
  'data-dir': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export function parseHeadlessArgs(argv: string[], env: Record<string, string | undefined>, now: () => number = Date.now): HeadlessOptions {
  const { values } = parseArgs({ args: argv, strict: true, options: HEADLESS_OPTIONS });
  const domain = required('domain', values.domain);
  const named = benchEnvironmentNamed(domain);
  if (!named) {
    const known = BENCH_ENVIRONMENTS.flatMap((f) => f.environments.map((e) => environmentName(episodeEnvironment(e))));
    throw new ValidationError('--domain', `"${domain}" is not one of ${known.join(', ')}`);
  }
  const userBench = named.family === 'userbench';
  const tau2 = named.family === 'tau2';
  const judgeModel = values['judge-model'];
  if (judgeModel !== undefined && !tau2) throw new ValidationError('--judge-model', 'only τ³-bench (--domain tau2/...) has NL assertions to judge');
  // The family's options; the spec's schema refuses one given to a family without it.
  const environment = {
    ...named,
    ...(values['one-choice'] ? { oneChoice: true } : {}),
    ...(values.samples ? { tasksFile: USERBENCH_SAMPLES.tasksFile, scenarioFiles: [...USERBENCH_SAMPLES.scenarioFiles] } : {}),
    ...(values['tasks-file'] ? { tasksFile: values['tasks-file'] } : {}),
    ...(values['scenario-files'] ? { scenarioFiles: values['scenario-files'].split(',').map((f) => f.trim()) } : {}),
  };
  const actor = {
    engine: remoteEngine('actor-kind', values['actor-kind'], 'openai-compatible'),
    model: required('actor-model', values['actor-model']),
    baseUrl: required('actor-base-url', values['actor-base-url']),
  };
  const user: ModelSpec = {
    engine: remoteEngine('user-kind', values['user-kind'], actor.engine),
    // UserBench's judges and user default to TravelGymConfig's gpt-4o.
    model: values['user-model'] ?? (userBench ? 'gpt-4o' : actor.model),
    baseUrl: values['user-base-url'] ?? actor.baseUrl,
  };
  const nlJudge: ModelSpec | undefined = judgeModel
    ? { engine: remoteEngine('judge-kind', values['judge-kind'], actor.engine), model: judgeModel, baseUrl: values['judge-base-url'] ?? user.baseUrl }
    : undefined;
  const criticModel = values['critic-model'];
  const criticContext = values['critic-context'] === undefined ? undefined : int('critic-context', values['critic-context'], 0);
  if (criticContext !== undefined && (!criticModel || criticContext < 512)) {
    throw new ValidationError('--critic-context', criticModel ? 'must be at least 512 tokens' : 'needs --critic-model');
  }
  const critic: ModelSpec | undefined = criticModel
    ? {
        engine: remoteEngine('critic-kind', values['critic-kind'], 'openai-compatible'),
        model: criticModel,
        baseUrl: required('critic-base-url', values['critic-base-url']),
        ...(criticContext !== undefined ? { contextWindow: criticContext } : {}),
      }
    : undefined;
  const modes = (values.configs ?? (critic ? 'off,intervene' : 'off')).split(',').map((m) => m.trim());
  const maxRevisions = int('max-revisions', values['max-revisions'], 2);
  const configurations = modes.map((m) => {
    if (m !== 'off' && m !== 'monitor' && m !== 'intervene') throw new ValidationError('--configs', `unknown mode "${m}"`);
    if (m !== 'off' && !critic) throw new ValidationError('--configs', `mode "${m}" needs --critic-model and --critic-base-url`);
    return { label: MODE_LABELS[m], mode: m, ...(m !== 'off' && critic ? { critic } : {}), maxRevisions };
  });
  const action = values['list-units'] ? 'list-units' : values['dry-run'] ? 'dry-run' : 'run';
  if (values['list-units'] && values['dry-run']) throw new ValidationError('--list-units', 'and --dry-run: pick one');
  if (values['estimate-from'] && action !== 'dry-run') throw new ValidationError('--estimate-from', 'needs --dry-run');
  // Listing and estimating write nothing, so they need no --out.
  const out = action === 'run' ? required('out', values.out) : (values.out ?? 'results.json');
  const maxRpm = values['max-rpm'] === undefined ? undefined : int('max-rpm', values['max-rpm'], 0);
  if (maxRpm === 0) throw new ValidationError('--max-rpm', 'must be at least 1');
  const actorKey = env['SPOTTER_ACTOR_KEY'] ?? '';
  const spec = parseRunSpec({
    id: values['run-id'] ?? `headless-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`,
    environment,
    split: values.split ?? 'test',
    // TravelGymConfig: the judges and the simulated user run at temperature 0; eval.sh: 20 turns.
    ...(userBench ? { userTemperature: 0, maxSteps: int('max-steps', values['max-steps'], 20) } : {}),
    ...(!userBench && values['max-steps'] !== undefined ? { maxSteps: int('max-steps', values['max-steps'], 30) } : {}),
    // tau2's DEFAULT_MAX_STEPS is 200 messages (agent, user and tool messages alike): about 100 agent steps.
    ...(tau2 && values['max-steps'] === undefined ? { maxSteps: 100 } : {}),
    ...(nlJudge ? { nlJudge } : {}),
    taskIndices: parseTaskRange(required('tasks', values.tasks)),
    trials: int('trials', values.trials, 1),
    concurrency: Math.max(1, int('concurrency', values.concurrency, 4)),
    actor,
    user,
    configurations,
  });
  return {
    action,
    spec,
    shard: values.shard === undefined ? undefined : parseShard(values.shard),
    maxRpm,
    estimateFrom: values['estimate-from'],
    out,
    statePath: values.state ?? `${out}.state.json`,
    dataDir: values['data-dir'] ?? (userBench ? '../shared/userbench' : tau2 ? '../shared/tau2-bench' : '../shared/tau-bench'),
    pricesPath: values.prices,
    fresh: values.fresh === true,
    keys: {
      actor: actorKey,
      user: env['SPOTTER_USER_KEY'] ?? actorKey,
      critic: env['SPOTTER_CRITIC_KEY'] ?? actorKey,
    },
  };
}

/** Same run, ignoring the id and the concurrency: a state file may be resumed with these arguments. */
export function sameRun(a: RunSpec, b: RunSpec): boolean {
  return specDifferences(a, b).length === 0;
}

export interface MergeOptions {
  files: string[];
  out: string;
  pricesPath: string | undefined;
  /** A Markdown file the pass^k table is appended to (GitHub Actions: $GITHUB_STEP_SUMMARY). */
  summaryMd: string | undefined;
  /** τ³ sweeps: the data the run read (its tasks go into tau2-bench's results file), as the run's --data-dir. */
  tau2DataDir: string;
}

/** `merge A B ... --out all.json`: argv after the word `merge`. */
export function parseMergeArgs(argv: string[]): MergeOptions {
  const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: MERGE_OPTIONS });
  if (positionals.length === 0) throw new ValidationError('merge', 'name the state files to merge');
  return { files: positionals, out: required('out', values.out), pricesPath: values.prices, summaryMd: values['summary-md'], tau2DataDir: values['data-dir'] ?? '../shared/tau2-bench' };
}

/** Output files: one tau-bench results JSON per configuration (the original writes one per run), and a CSV. */
export function outputPaths(out: string, labels: readonly string[]): { json: string[]; csv: string } {
  const base = out.replace(/\.json$/i, '');
  const json = labels.length === 1 ? [out] : labels.map((l) => `${base}.${l.replace(/[^\w.-]+/g, '_')}.json`);
  return { json, csv: `${base}.csv` };
}
