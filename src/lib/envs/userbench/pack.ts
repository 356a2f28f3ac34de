/**
 * The UserBench pack, loaded at run time: prompt templates, option schemas,
 * the agent's tool, a task index, and scenario files. Layout (as ../shared/userbench):
 *   prompts/<name>_{system,user}.txt, prompts/option_schemas.json, prompts/tools.json
 *   tasks/<env>_multiturn[_onechoice]_<split>.json   (the upstream parquet rows as JSON)
 *   scenarios/*.json                                  (processed single-scenario files)
 *   travelgym/data/travelgym_data_<n>.json            (the upstream data files, keyed by scenario id)
 * Every file is validated where it enters; errors name the file and the field.
 */
import { z } from 'zod';
import { ValidationError, errorMessage } from '../../errors.ts';
import { ToolSchemaSchema, type ToolSchema } from '../../contracts.ts';
import { cachedPackSource, formatPath, httpPackSource, readPackJson, readPackText, type PackSource } from '../tau-bench/pack.ts';
import { toJs, type PyValue } from '../tau-bench/py.ts';
import { PROMPT_FILES, type PromptPair, type UserBenchPrompts } from './prompts.ts';
import { pyFormat } from './pytext.ts';
import { isProcessedFile, loadTasks, taskFromProcessed, type LoadTasksOptions, type TravelTask } from './task.ts';

export type { PackSource };

/** The upstream commit the port follows (../shared/userbench/README.md). */
const USERBENCH_UPSTREAM_COMMIT = 'b05d86b718161acef28681b638e988e6808fe51a';
/** Raw files of the upstream repository: `${USERBENCH_RAW_BASE}travelgym/data/travelgym_data_22.json`. */
export const USERBENCH_RAW_BASE = `https://raw.githubusercontent.com/SalesforceAIResearch/UserBench/${USERBENCH_UPSTREAM_COMMIT}/`;
/** load_tasks opens the data files in this order; it decides the shuffles. */
export const DATA_SUFFIXES = ['22', '33', '44', '2222', '233', '334', '444', '333'] as const;
export const UPSTREAM_DATA_FILES: readonly string[] = DATA_SUFFIXES.map((n) => `travelgym/data/travelgym_data_${n}.json`);
const TOOL_NAME = 'interact_with_env';
/** The Cache Storage cache that keeps the upstream data files. */
export const USERBENCH_CACHE = 'spotter-userbench';

/** The index file eval.py's load_data reads, as JSON in the pack. */
export function indexFileFor(env: string, oneChoice: boolean, split = 'test'): string {
  return `tasks/${env}_multiturn${oneChoice ? '_onechoice' : ''}_${split}.json`;
}

/** One row of the task index: the agent's system and user messages and the scenario to run. */
export interface UserBenchTaskRow {
  /** extra_info.index */
  index: number;
  /** reward_model.id: the scenario key. */
  id: string;
  /** reward_model.ground_truth: the best id of each aspect, in dimension order. */
  groundTruth: string[];
  system: string;
  user: string;
  /** The parquet file a wrapped row came from (sample_scenarios_train_rows.json). */
  sourceFile?: string;
}

export interface UserBenchPack {
  describe: string;
  prompts: UserBenchPrompts;
  /** The same object as prompts.optionSchemas. */
  optionSchemas: Record<string, string>;
  tool: ToolSchema;
  /** Index rows for the chosen env / variant. */
  tasks: UserBenchTaskRow[];
  indexFile: string;
  scenarios: ScenarioLookup;
}

/** Scenarios by id: a Map in-process; parsed on first use when they came from the pack worker (pack-wire.ts). */
export interface ScenarioLookup {
  get(id: string): TravelTask | undefined;
  readonly size: number;
}

/** How far a load has got: scenario files read and parsed so far, then the load_tasks shuffles. */
export const PackLoadProgressSchema = z.object({
  stage: z.enum(['files', 'shuffle']),
  /** The file just read (stage 'files'). */
  file: z.string().optional(),
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  /** UTF-8 bytes of the files read so far. */
  bytes: z.number().nonnegative(),
});
export type PackLoadProgress = z.infer<typeof PackLoadProgressSchema>;

interface ScenarioLoadOptions extends LoadTasksOptions {
  onProgress?: (progress: PackLoadProgress) => void;
}

export interface LoadUserBenchOptions extends ScenarioLoadOptions {
  env?: string;
  oneChoice?: boolean;
  /** The index file; default `indexFileFor(env ?? 'travel22', oneChoice)`. */
  indexFile?: string;
  /**
   * Scenario files, processed or upstream-keyed (both recognised). Upstream
   * files are shuffled together in the given order, so the eight data files in
   * load_tasks order give the original's option order. Default: those eight.
   */
  scenarioFiles?: readonly string[];
}

// ---------------------------------------------------------------- sources

/**
 * The upstream data files from raw GitHub, everything else from `pack`
 * (the app-served or opened folder).
 */
export function upstreamDataSource(pack: PackSource, data: PackSource = httpPackSource(USERBENCH_RAW_BASE)): PackSource {
  return {
    describe: `${pack.describe} + ${data.describe}`,
    readText: (path, opts) => (path.startsWith('travelgym/') ? data.readText(path, opts) : pack.readText(path, opts)),
  };
}

/**
 * The default: prompts and task index from the pack at `packBaseUrl` (the app
 * serves ../shared/userbench), the upstream data files from raw GitHub, kept in
 * Cache Storage (they never change at a pinned commit).
 */
export function defaultUserBenchSource(packBaseUrl: string, fetchFn?: typeof fetch): PackSource {
  const raw = fetchFn ? httpPackSource(USERBENCH_RAW_BASE, fetchFn) : httpPackSource(USERBENCH_RAW_BASE);
  return upstreamDataSource(fetchFn ? httpPackSource(packBaseUrl, fetchFn) : httpPackSource(packBaseUrl), cachedPackSource(raw, USERBENCH_CACHE));
}

// ---------------------------------------------------------------- validation

/** UTF-8 length without encoding a copy of a multi-MiB text. */
function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function check<T>(file: string, schema: z.ZodType<T>, value: unknown, at: PropertyKey[] = []): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ValidationError(file, issue ? `${formatPath([...at, ...issue.path])}: ${issue.message}` : 'invalid');
}

/** The str.format fields each user template must take (and no others). */
const TEMPLATE_FIELDS: Record<keyof typeof PROMPT_FILES, readonly string[]> = {
  judgeSearch: ['agent_request', 'ground_truth_arguments'],
  judgeUtterance: ['scenario', 'conversation_history', 'latest_utterance', 'preferences_list'],
  responsePreference: ['preference', 'conversation_history', 'latest_utterance'],
  responseElicit: ['preference', 'conversation_history', 'latest_utterance'],
  responseNatural: ['conversation_history', 'latest_utterance'],
};

async function readPair(source: PackSource, key: keyof typeof PROMPT_FILES): Promise<PromptPair> {
  const base = `prompts/${PROMPT_FILES[key]}`;
  const system = await readPackText(source, `${base}_system.txt`);
  const user = await readPackText(source, `${base}_user.txt`);
  const userFile = `${base}_user.txt`;
  const fields = TEMPLATE_FIELDS[key];
  for (const f of fields) if (!user.includes(`{${f}}`)) throw new ValidationError(userFile, `the template has no {${f}} field`);
  try {
    pyFormat(user, Object.fromEntries(fields.map((f) => [f, ''])));
  } catch (err) {
    throw new ValidationError(userFile, `not a str.format template for ${fields.join(', ')}: ${errorMessage(err)}`);
  }
  return { system, user };
}

export async function loadPrompts(source: PackSource): Promise<UserBenchPrompts> {
  const schemasFile = 'prompts/option_schemas.json';
  const optionSchemas = check(schemasFile, z.record(z.string(), z.string()), toJs(await readPackJson(source, schemasFile)));
  return {
    judgeSearch: await readPair(source, 'judgeSearch'),
    judgeUtterance: await readPair(source, 'judgeUtterance'),
    responsePreference: await readPair(source, 'responsePreference'),
    responseElicit: await readPair(source, 'responseElicit'),
    responseNatural: await readPair(source, 'responseNatural'),
    optionSchemas,
  };
}

const IndexRowSchema = z.looseObject({
  prompt: z.tuple([
    z.looseObject({ role: z.literal('system'), content: z.string() }),
    z.looseObject({ role: z.literal('user'), content: z.string() }),
  ]),
  reward_model: z.looseObject({ id: z.string(), ground_truth: z.string() }),
  extra_info: z.looseObject({ index: z.number().int() }),
});
const WrappedRowSchema = z.object({ source_file: z.string(), row: IndexRowSchema });

/** "['C16', 'A17']" (a Python list repr of plain ids) as a list. */
function groundTruthIds(file: string, at: PropertyKey[], text: string): string[] {
  if (!/^\[\s*(?:'[^'\\]*'(?:\s*,\s*'[^'\\]*')*)?\s*\]$/.test(text)) {
    throw new ValidationError(file, `${formatPath([...at, 'reward_model', 'ground_truth'])}: not a list of quoted ids: ${text.slice(0, 80)}`);
  }
  return [...text.matchAll(/'([^'\\]*)'/g)].map((m) => m[1] ?? '');
}

/** Index rows; a wrapped file ({source_file, row}) keeps the rows of the env and variant asked for. */
function parseIndex(file: string, raw: PyValue, filter: { env?: string; oneChoice?: boolean } = {}): UserBenchTaskRow[] {
  const items = check(file, z.array(z.unknown()), toJs(raw));
  const rows: UserBenchTaskRow[] = [];
  items.forEach((item, i) => {
    const isWrapped = typeof item === 'object' && item !== null && 'source_file' in item;
    const wrapped = isWrapped ? check(file, WrappedRowSchema, item, [i]) : undefined;
    const row = wrapped ? wrapped.row : check(file, IndexRowSchema, item, [i]);
    if (wrapped) {
      const onechoice = wrapped.source_file.includes('_onechoice');
      if (filter.oneChoice !== undefined && onechoice !== filter.oneChoice) return;
      if (filter.env !== undefined && !wrapped.source_file.includes(`/${filter.env}_multiturn`)) return;
    }
    rows.push({
      index: row.extra_info.index,
      id: row.reward_model.id,
      groundTruth: groundTruthIds(file, wrapped ? [i, 'row'] : [i], row.reward_model.ground_truth),
      system: row.prompt[0].content,
      user: row.prompt[1].content,
      ...(wrapped ? { sourceFile: wrapped.source_file } : {}),
    });
  });
  return rows;
}

/** Scenario files of either kind; upstream-keyed ones go through load_tasks together, in order. */
export async function loadScenarios(source: PackSource, files: readonly string[], opts: ScenarioLoadOptions = {}): Promise<Map<string, TravelTask>> {
  const out = new Map<string, TravelTask>();
  const upstream: { file: string; raw: PyValue }[] = [];
  const progress = { filesDone: 0, filesTotal: files.length, bytes: 0 };
  for (const file of files) {
    const raw = await readPackJson(source, file, opts.onProgress && ((text) => (progress.bytes += utf8Length(text))));
    if (isProcessedFile(raw)) {
      const task = taskFromProcessed(file, raw);
      out.set(task.id, task);
    } else upstream.push({ file, raw });
    progress.filesDone++;
    opts.onProgress?.({ stage: 'files', file, ...progress });
  }
  if (upstream.length) opts.onProgress?.({ stage: 'shuffle', ...progress });
  for (const task of loadTasks(upstream, opts)) out.set(task.id, task);
  return out;
}

/** The agent's one tool, interact_with_env, from prompts/tools.json. */
export async function loadUserBenchTool(source: PackSource): Promise<ToolSchema> {
  const toolsFile = 'prompts/tools.json';
  const tools = check(toolsFile, z.array(ToolSchemaSchema), toJs(await readPackJson(source, toolsFile)));
  const tool = tools.find((t) => t.function.name === TOOL_NAME);
  if (!tool) throw new ValidationError(toolsFile, `no tool named ${TOOL_NAME}`);
  return tool;
}

export async function loadUserBenchPack(source: PackSource, opts: LoadUserBenchOptions = {}): Promise<UserBenchPack> {
  const prompts = await loadPrompts(source);
  const tool = await loadUserBenchTool(source);
  const oneChoice = opts.oneChoice ?? false;
  const indexFile = opts.indexFile ?? indexFileFor(opts.env ?? 'travel22', oneChoice);
  const filter = { oneChoice, ...(opts.env !== undefined ? { env: opts.env } : {}) };
  const tasks = parseIndex(indexFile, await readPackJson(source, indexFile), filter);
  const scenarios = await loadScenarios(source, opts.scenarioFiles ?? UPSTREAM_DATA_FILES, opts);
  return { describe: source.describe, prompts, optionSchemas: prompts.optionSchemas, tool, tasks, indexFile, scenarios };
}

/** The scenario of an index row, or a ValidationError saying which file lacks it. */
export function scenarioOf(pack: UserBenchPack, row: UserBenchTaskRow): TravelTask {
  const task = pack.scenarios.get(row.id);
  if (!task) throw new ValidationError(pack.indexFile, `scenario ${JSON.stringify(row.id)} (row ${row.index}) is in none of the loaded scenario files`);
  return task;
}
