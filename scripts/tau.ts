/**
 * tau-bench replay CLI:
 *   npm run --silent tau -- replay --domain <retail|airline> --task-index <N>
 *     [--actions <file.json>] [--data-dir <dir>] [--split <test|train|dev>]
 * prints ONE JSON line {"observations": [...], "reward": 0|1, "db": {...}}:
 * one observation per action (null for respond), the database in its original
 * key order with Python's number formatting. Bad arguments exit with code 2.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { ValidationError, errorMessage } from '../src/lib/errors.ts';
import { replayActions } from '../src/lib/envs/tau-bench/env.ts';
import { loadTauPack, taskOf, type TauAction } from '../src/lib/envs/tau-bench/pack.ts';
import { nodePackSource } from '../src/lib/envs/tau-bench/pack-node.ts';
import { dumps, isDict, type PyValue } from '../src/lib/envs/tau-bench/py.ts';
import { TASK_SPLITS, TAU_DOMAINS, type TaskSplit, type TauDomain } from '../src/lib/envs/environment.ts';
import { UsageError, readOptionFile } from './cli.ts';

const USAGE =
  'usage: npm run --silent tau -- replay --domain <retail|airline> --task-index <N> [--actions <file.json>] [--data-dir <dir>] [--split <test|train|dev>]';

interface Args {
  domain: TauDomain;
  taskIndex: number;
  actions?: string;
  dataDir: string;
  split: TaskSplit;
}

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'replay') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  const opts = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i] ?? '';
    const m = /^--(domain|task-index|actions|data-dir|split)(?:=(.*))?$/.exec(key);
    if (!m || !m[1]) throw new UsageError(`unknown option "${key}"`);
    const value = m[2] ?? rest[++i];
    if (value === undefined || (m[2] === undefined && value.startsWith('--'))) throw new UsageError(`--${m[1]} needs a value`);
    opts.set(m[1], value);
  }
  const domain = opts.get('domain');
  if (!domain) throw new UsageError('--domain is required');
  if (!TAU_DOMAINS.some((d) => d === domain)) throw new UsageError(`--domain must be retail or airline, not "${domain}"`);
  const idx = opts.get('task-index');
  if (idx === undefined) throw new UsageError('--task-index is required');
  if (!/^\d+$/.test(idx)) throw new UsageError(`--task-index must be a non-negative integer, not "${idx}"`);
  const split = opts.get('split') ?? 'test';
  const knownSplit = TASK_SPLITS.find((s) => s === split);
  if (!knownSplit) throw new UsageError(`--split must be one of ${TASK_SPLITS.join(', ')}`);
  const actions = opts.get('actions');
  return {
    domain: domain === 'retail' ? 'retail' : 'airline',
    taskIndex: Number(idx),
    dataDir: resolve(opts.get('data-dir') ?? resolve(process.cwd(), '..', 'shared', 'tau-bench')),
    split: knownSplit,
    ...(actions !== undefined ? { actions } : {}),
  };
}

const ActionsFileSchema = z.array(z.object({ name: z.string(), kwargs: z.record(z.string(), z.unknown()) }));

/** An actions file: [{"name": ..., "kwargs": {...}}, ...], parsed as Python's json.load would. */
async function readActions(file: string): Promise<TauAction[]> {
  const { raw, data } = await readOptionFile('actions', file, ActionsFileSchema);
  const items = Array.isArray(raw) ? raw : [];
  return data.map((a, i) => {
    const item = items[i];
    const kwargs = item !== undefined && isDict(item) ? item.get('kwargs') : undefined;
    return { name: a.name, kwargs: kwargs !== undefined && isDict(kwargs) ? kwargs : new Map() };
  });
}

async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`tau: ${errorMessage(err)}\n${USAGE}\n`);
    return 2;
  }
  try {
    const pack = await loadTauPack(nodePackSource(args.dataDir), [args.domain], { [args.domain]: [args.split] });
    const task = taskOf(pack, args.domain, args.taskIndex, args.split);
    const actions = args.actions !== undefined ? await readActions(args.actions) : task.actions;
    const result = replayActions(pack, args.domain, args.taskIndex, actions, args.split);
    const line = dumps(
      new Map<string, PyValue>([
        ['observations', result.observations],
        ['reward', result.reward],
        ['db', result.db],
      ]),
    );
    process.stdout.write(`${line}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`tau: ${errorMessage(err)}\n`);
    return err instanceof UsageError || err instanceof ValidationError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
