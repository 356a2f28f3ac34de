/**
 * The exam's command line (`npm run exam`), as a pure function from argv and
 * the environment to options, so it is tested without spawning. Keys come only
 * from the environment: argv is logged by shells and process lists.
 */
import { parseArgs } from 'node:util';
import { ValidationError } from '../src/lib/errors.ts';
import { TransformersDeviceSchema, TransformersDtypeSchema, type TransformersConfig } from '../src/lib/engines/transformers-options.ts';
import { RemoteEngineSchema, type RemoteSpec } from '../src/lib/setup/specs.ts';

export const EXAM_USAGE = `Usage:
  npm run --silent exam -- export --set NAME                  the set as JSONL on stdout, one item per line
  npm run --silent exam -- grade --set NAME --out results.json [--limit N] [--timeout-ms 60000] [--fresh]
      --critic-base-url URL --critic-model MODEL [--critic-kind openai-compatible|anthropic] [--critic-context N]
          a critic behind an endpoint; N: the context window in tokens its prompts are budgeted to
      --critic-engine transformers --critic-model ID_OR_PATH [--critic-device cpu|wasm] [--critic-dtype fp32|q4|...]
          a transformers.js model on Node (a folder holding config.json and onnx/, or a Hugging Face model id)
  [--data-dir ../shared/tau-bench]                              where the sets are built from
  [--items FILE.jsonl]                                          grade or export an exam file instead of a named set
An existing --out file of the same critic and set is resumed (its items are not graded again); --fresh replaces it.
Key: SPOTTER_CRITIC_KEY, or the variable named by --critic-api-key-env VAR.`;

/** Which critic sits the exam: one behind an endpoint, or a transformers.js model on Node. */
export type ExamCriticOption = { kind: 'remote'; spec: RemoteSpec; keyEnv: string } | { kind: 'transformers'; config: TransformersConfig };

/** Where the items come from: a named set built from the data folder, or an exam file. */
export type ExamItemsOption = { set: string; dataDir: string } | { file: string };

export type ExamCommand =
  | { command: 'export'; items: ExamItemsOption }
  | { command: 'grade'; items: ExamItemsOption; critic: ExamCriticOption; out: string; limit: number | undefined; timeoutMs: number; fresh: boolean };

export const DEFAULT_DATA_DIR = '../shared/tau-bench';
/** The loop's critic timeout in a run (runs/plan.ts), so a verdict counts as failed where the loop would. */
export const DEFAULT_EXAM_TIMEOUT_MS = 60_000;
export const DEFAULT_KEY_ENV = 'SPOTTER_CRITIC_KEY';

function required(name: string, v: string | undefined): string {
  if (!v) throw new ValidationError(`--${name}`, 'is required');
  return v;
}

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new ValidationError(`--${name}`, `"${v}" is not a positive whole number`);
  return n;
}

function pick<T extends string>(name: string, v: string | undefined, options: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  const found = options.find((o) => o === v);
  if (!found) throw new ValidationError(`--${name}`, `"${v}" is not ${options.join(' or ')}`);
  return found;
}

/**
 * `--critic-model` for transformers.js: an existing folder (holding
 * config.json and onnx/) is split into its parent (localModelPath) and its
 * name, and stays local; anything else is a model id fetched from the Hugging
 * Face hub.
 */
export function transformersModel(model: string, isFolder: (path: string) => boolean): Pick<TransformersConfig, 'model' | 'localModelPath' | 'allowRemoteModels'> {
  if (!isFolder(model)) return { model, allowRemoteModels: true };
  const trimmed = model.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return { model: trimmed.slice(cut + 1), localModelPath: cut >= 0 ? trimmed.slice(0, cut + 1) : './', allowRemoteModels: false };
}

/** `isFolder` tells a local model folder from a hub id (the script passes a file-system check). */
export function parseExamArgs(argv: string[], env: Record<string, string | undefined>, isFolder: (path: string) => boolean = () => false): ExamCommand {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      set: { type: 'string' },
      items: { type: 'string' },
      'data-dir': { type: 'string' },
      out: { type: 'string' },
      limit: { type: 'string' },
      'timeout-ms': { type: 'string' },
      'critic-engine': { type: 'string' },
      'critic-base-url': { type: 'string' },
      'critic-model': { type: 'string' },
      'critic-kind': { type: 'string' },
      'critic-context': { type: 'string' },
      'critic-api-key-env': { type: 'string' },
      'critic-device': { type: 'string' },
      'critic-dtype': { type: 'string' },
      fresh: { type: 'boolean' },
    },
  });
  if (command !== 'export' && command !== 'grade') throw new ValidationError('command', command ? `"${command}" is not export or grade` : 'is required (export or grade)');
  if (values.set && values.items) throw new ValidationError('--items', 'give either --set or --items');
  const items: ExamItemsOption = values.items ? { file: values.items } : { set: required('set', values.set), dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR };
  if (command === 'export') return { command, items };

  const model = required('critic-model', values['critic-model']);
  const engine = pick('critic-engine', values['critic-engine'], ['remote', 'transformers'] as const) ?? 'remote';
  const context = positiveInt('critic-context', values['critic-context']);
  if (context !== undefined && context < 512) throw new ValidationError('--critic-context', 'must be at least 512 tokens');
  let critic: ExamCriticOption;
  if (engine === 'transformers') {
    if (values['critic-base-url']) throw new ValidationError('--critic-base-url', 'a transformers.js critic runs here, not behind an endpoint');
    const device = pick('critic-device', values['critic-device'], TransformersDeviceSchema.options) ?? 'cpu';
    const dtype = pick('critic-dtype', values['critic-dtype'], TransformersDtypeSchema.options) ?? 'fp32';
    critic = { kind: 'transformers', config: { engine: 'transformers', ...transformersModel(model, isFolder), device, dtype, ...(context ? { contextWindow: context } : {}) } };
  } else {
    const kind = values['critic-kind'] === undefined ? 'openai-compatible' : RemoteEngineSchema.safeParse(values['critic-kind']).data;
    if (!kind) throw new ValidationError('--critic-kind', `"${values['critic-kind']}" is not ${RemoteEngineSchema.options.join(' or ')}`);
    const keyEnv = values['critic-api-key-env'] ?? DEFAULT_KEY_ENV;
    if (values['critic-api-key-env'] && env[keyEnv] === undefined) throw new ValidationError('--critic-api-key-env', `the environment has no ${keyEnv}`);
    critic = { kind: 'remote', keyEnv, spec: { engine: kind, model, baseUrl: required('critic-base-url', values['critic-base-url']), ...(context ? { contextWindow: context } : {}) } };
  }
  return {
    command,
    items,
    critic,
    out: required('out', values.out),
    limit: positiveInt('limit', values.limit),
    timeoutMs: positiveInt('timeout-ms', values['timeout-ms']) ?? DEFAULT_EXAM_TIMEOUT_MS,
    fresh: values.fresh === true,
  };
}
