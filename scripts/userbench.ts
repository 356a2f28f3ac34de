/**
 * UserBench replay CLI:
 *   npm run --silent userbench -- replay --scenario <file.json> --steps <steps.json>
 *     [--one-choice] [--max-steps N] [--sync] [--seed N] [--id <scenario id>] [--pack-dir <dir>]
 * prints ONE JSON line {"observations": [...], "rewards": [...], "terminated": b, "truncated": b},
 * written as Python's json.dumps writes it. steps.json is [{"choice", "content", "llm": [...]}];
 * `llm` holds, in call order, the raw texts the judge and the simulated user return at that step.
 * Without --sync: step_async (eval.py's path); with it: the sync step, `random` seeded with --seed.
 * Exit 2: bad arguments or files; 3: the steps use fewer or more LLM texts than given.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { ValidationError, errorMessage } from '../src/lib/errors.ts';
import { DEFAULT_TRAVEL_GYM_CONFIG } from '../src/lib/envs/userbench/gym.ts';
import { loadPrompts, loadScenarios } from '../src/lib/envs/userbench/pack.ts';
import { defaultUserBenchDir, nodePackSource } from '../src/lib/envs/userbench/pack-node.ts';
import { ReplayError, ReplayStepSchema, replayLine, replaySteps, type ReplayStep } from '../src/lib/envs/userbench/replay.ts';
import { UsageError, readOptionFile } from './cli.ts';

const USAGE =
  'usage: npm run --silent userbench -- replay --scenario <file.json> --steps <steps.json> [--one-choice] [--max-steps N] [--sync] [--seed N] [--id <scenario id>] [--pack-dir <dir>]';

interface Args {
  scenario: string;
  steps: string;
  oneChoice: boolean;
  maxSteps: number;
  sync: boolean;
  seed?: number;
  id?: string;
  packDir: string;
}

const FLAGS = new Set(['one-choice', 'sync']);
const VALUED = new Set(['scenario', 'steps', 'max-steps', 'seed', 'id', 'pack-dir']);

export function parseArgs(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'replay') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  const opts = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(rest[i] ?? '');
    const name = m?.[1] ?? '';
    if (FLAGS.has(name) && m?.[2] === undefined) {
      opts.set(name, 'true');
      continue;
    }
    if (!VALUED.has(name)) throw new UsageError(`unknown option "${rest[i] ?? ''}"`);
    const value = m?.[2] ?? rest[++i];
    if (value === undefined || (m?.[2] === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    opts.set(name, value);
  }
  const int = (name: string, min: number): number | undefined => {
    const v = opts.get(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) throw new UsageError(`--${name} must be an integer >= ${min}, not "${v}"`);
    return Number(v);
  };
  const scenario = opts.get('scenario');
  const steps = opts.get('steps');
  if (!scenario) throw new UsageError('--scenario is required');
  if (!steps) throw new UsageError('--steps is required');
  const seed = int('seed', 0);
  const id = opts.get('id');
  return {
    scenario: resolve(scenario),
    steps: resolve(steps),
    oneChoice: opts.has('one-choice'),
    maxSteps: int('max-steps', 1) ?? DEFAULT_TRAVEL_GYM_CONFIG.maxSteps,
    sync: opts.has('sync'),
    packDir: resolve(opts.get('pack-dir') ?? defaultUserBenchDir()),
    ...(seed !== undefined ? { seed } : {}),
    ...(id !== undefined ? { id } : {}),
  };
}

async function readSteps(file: string): Promise<ReplayStep[]> {
  return (await readOptionFile('steps', file, z.array(ReplayStepSchema))).data;
}

async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`userbench: ${errorMessage(err)}\n${USAGE}\n`);
    return 2;
  }
  try {
    const prompts = await loadPrompts(nodePackSource(args.packDir));
    // The scenario file by absolute path: a source rooted at '/'.
    const seed = args.seed ?? 0;
    // TravelEnv seeds numpy with config.seed before load_tasks; without one the import-time 42 holds.
    const scenarios = await loadScenarios(nodePackSource('/'), [args.scenario.slice(1)], { numpySeed: args.seed ?? 42 });
    const ids = [...scenarios.keys()];
    const id = args.id ?? (ids.length === 1 ? ids[0] : undefined);
    if (id === undefined) throw new UsageError(`${args.scenario} holds ${ids.length} scenarios; pick one with --id`);
    const task = scenarios.get(id);
    if (!task) throw new UsageError(`${args.scenario} has no scenario ${JSON.stringify(id)}`);
    const steps = await readSteps(args.steps);
    const result = await replaySteps(task, prompts, steps, {
      mode: args.sync ? 'sync' : 'async',
      oneChoicePerAspect: args.oneChoice,
      maxSteps: args.maxSteps,
      seed,
    });
    process.stdout.write(`${replayLine(result)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`userbench: ${errorMessage(err)}\n`);
    if (err instanceof ReplayError) return 3;
    return err instanceof UsageError || err instanceof ValidationError ? 2 : 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, 'userbench.ts')) {
  process.exitCode = await main(process.argv.slice(2));
}
