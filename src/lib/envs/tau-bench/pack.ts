/**
 * The tau-bench *benchmark pack*: per domain the database tables as JSON,
 * wiki.md (the policy), rules.json, tools.json and tasks_<split>.json, plus
 * user_simulator_prompt.txt at the top (layout: ../shared/tau-bench/README.md).
 * Every file is validated where it enters; a bad one throws a ValidationError
 * naming the file and the field.
 */
import { z } from 'zod';
import { ValidationError, errorMessage } from '../../errors.ts';
import { readBodyText, type ReadOptions } from '../../net/download.ts';
import { TransferMeter } from '../../net/transfer-rate.ts';
import { ToolSchemaSchema, type ToolSchema } from '../../contracts.ts';
import { JsonSyntaxError, isDict, parseJson, toJs, type PyDict, type PyValue } from './py.ts';
import type { TauDomain, TaskSplit } from '../environment.ts';
import type { TauTool } from './tool.ts';
import { AIRLINE_TOOLS } from './tools/airline/index.ts';
import { RETAIL_TOOLS } from './tools/retail/index.ts';

/** Where a pack's files come from: a URL, a folder on disk, files the user opened. */
export interface PackSource {
  /**
   * The text of `path` (relative, '/'-separated); rejects when it is missing
   * or arrives incomplete. `opts` asks for byte progress and an exact size.
   */
  readText(path: string, opts?: ReadOptions): Promise<string>;
  readonly describe: string;
}

export const RESPOND_ACTION_NAME = 'respond';
export const TERMINATE_TOOLS: readonly string[] = ['transfer_to_human_agents'];

const TABLES: Record<TauDomain, readonly string[]> = {
  retail: ['orders', 'products', 'users'],
  airline: ['flights', 'reservations', 'users'],
};

export const TOOL_IMPLEMENTATIONS: Record<TauDomain, readonly TauTool[]> = {
  retail: RETAIL_TOOLS,
  airline: AIRLINE_TOOLS,
};

export interface TauAction {
  name: string;
  /** Keyword arguments as Python's json.load saw them (key order, int vs float). */
  kwargs: PyDict;
}

export interface TauTask {
  userId: string;
  instruction: string;
  actions: TauAction[];
  outputs: string[];
}

export interface DomainPack {
  domain: TauDomain;
  wiki: string;
  rules: string[];
  /** tools.json, in its order: what the agent is offered. */
  tools: ToolSchema[];
  /** The implementations of `tools`, by name. */
  toolsByName: ReadonlyMap<string, TauTool>;
  tasks: Partial<Record<TaskSplit, TauTask[]>>;
  /** The initial database; never mutated (episodes work on deep copies). */
  db: PyDict;
}

export interface TauPack {
  describe: string;
  userSimulatorPrompt: string;
  domains: Partial<Record<TauDomain, DomainPack>>;
}

// ---------------------------------------------------------------- sources

/** The pack served over HTTP (the app serves it at /tau-bench/). */
export function httpPackSource(baseUrl: string, fetchFn: typeof fetch = (...a) => fetch(...a)): PackSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    describe: base,
    async readText(path, opts) {
      const res = await fetchFn(`${base}${path}`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return readBodyText(res, opts);
    },
  };
}

/**
 * A folder the user opened (`<input webkitdirectory>`). Files are matched by
 * the end of their relative path, so the chosen folder may be the pack itself
 * or one that contains it.
 */
export function filesPackSource(files: readonly File[]): PackSource {
  const pathOf = (f: File): string => (f.webkitRelativePath || f.name).replace(/\\/g, '/');
  return {
    describe: `${files.length} opened files`,
    async readText(path, opts) {
      const hit = files.find((f) => {
        const p = pathOf(f);
        return p === path || p.endsWith(`/${path}`);
      });
      if (!hit) throw new Error('missing file');
      return readBodyText(new Response(hit), { ...opts, expectedBytes: opts?.expectedBytes ?? hit.size });
    },
  };
}

/**
 * Keeps every file read in the browser's Cache Storage (cache `cacheName`),
 * so a pack loads offline; Node, which has none, passes through. A file is
 * stored only once it was read whole; a hit reports its size as progress.
 */
export function cachedPackSource(
  source: PackSource,
  cacheName: string,
  storage: CacheStorage | undefined = (globalThis as { caches?: CacheStorage }).caches,
): PackSource {
  if (!storage) return source;
  const host = `${cacheName.replace(/^spotter-/, '')}.cache.invalid`;
  const keyOf = (path: string): string => `https://${host}/${encodeURIComponent(source.describe)}/${path}`;
  return {
    describe: source.describe,
    async readText(path, opts) {
      const cache = await storage.open(cacheName);
      const hit = await cache.match(keyOf(path));
      if (hit) {
        const text = await hit.text();
        const bytes = new TextEncoder().encode(text).byteLength;
        opts?.onProgress?.(new TransferMeter(bytes).add({ loaded: bytes, total: bytes }));
        return text;
      }
      const text = await source.readText(path, opts);
      await cache.put(keyOf(path), new Response(text, { headers: { 'Content-Type': 'application/json' } }));
      return text;
    },
  };
}

// ---------------------------------------------------------------- validation

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `[3].actions[0].name`, the way the error messages name a field. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else {
      const key = String(p);
      out += IDENT.test(key) ? `${out ? '.' : ''}${key}` : `[${JSON.stringify(key)}]`;
    }
  }
  return out || '(root)';
}

/** A pack file's text; a failure names the file and the source. */
export async function readPackText(source: PackSource, file: string): Promise<string> {
  try {
    return await source.readText(file);
  } catch (err) {
    throw new ValidationError(file, `cannot read (${errorMessage(err)}) from ${source.describe}`);
  }
}

/** A pack file parsed as Python's json.load would; `onText` sees the raw text first (progress by bytes). */
export async function readPackJson(source: PackSource, file: string, onText?: (text: string) => void): Promise<PyValue> {
  const text = await readPackText(source, file);
  onText?.(text);
  try {
    return parseJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new ValidationError(file, `invalid JSON: ${err.message}`);
    throw err;
  }
}

function check<T>(file: string, schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ValidationError(file, issue ? `${formatPath(issue.path)}: ${issue.message}` : 'invalid');
}

const num = z.number();
const str = z.string();
const rec = <T extends z.ZodType>(v: T) => z.record(z.string(), v);

/** The fields the tools read, per table; other fields pass through untouched. */
const TABLE_SCHEMAS: Record<TauDomain, Record<string, z.ZodType>> = {
  retail: {
    orders: rec(
      z.looseObject({
        order_id: str,
        user_id: str,
        status: str,
        items: z.array(z.looseObject({ item_id: str, product_id: str, price: num })),
        payment_history: z.array(z.looseObject({ transaction_type: str, amount: num, payment_method_id: str })),
      }),
    ),
    products: rec(
      z.looseObject({
        product_id: str,
        name: str,
        variants: rec(z.looseObject({ item_id: str, price: num, available: z.boolean() })),
      }),
    ),
    users: rec(
      z.looseObject({
        email: str,
        name: z.looseObject({ first_name: str, last_name: str }),
        address: z.looseObject({ zip: str }),
        payment_methods: rec(z.looseObject({ source: str })),
      }),
    ),
  },
  airline: {
    flights: rec(
      z.looseObject({
        flight_number: str,
        origin: str,
        destination: str,
        scheduled_departure_time_est: str,
        scheduled_arrival_time_est: str,
        dates: rec(z.looseObject({ status: str })),
      }),
    ),
    reservations: rec(
      z.looseObject({
        reservation_id: str,
        user_id: str,
        cabin: str,
        flights: z.array(z.looseObject({ flight_number: str, date: str, price: num })),
        passengers: z.array(z.unknown()),
        payment_history: z.array(z.looseObject({ payment_id: str, amount: num })),
      }),
    ),
    users: rec(z.looseObject({ payment_methods: rec(z.looseObject({ source: str })), reservations: z.array(str) })),
  },
};

const TaskSchema = z.object({
  user_id: z.string(),
  instruction: z.string(),
  actions: z.array(z.object({ name: z.string(), kwargs: z.record(z.string(), z.unknown()) })),
  outputs: z.array(z.string()).default([]),
});

function toTasks(file: string, raw: PyValue, toolNames: ReadonlySet<string>): TauTask[] {
  const tasks = check(file, z.array(TaskSchema), toJs(raw));
  const rawTasks = Array.isArray(raw) ? raw : [];
  return tasks.map((t, i) => {
    const rawTask = rawTasks[i];
    const rawActions = rawTask !== undefined && isDict(rawTask) ? rawTask.get('actions') : undefined;
    const actions = t.actions.map((a, j): TauAction => {
      if (a.name !== RESPOND_ACTION_NAME && !toolNames.has(a.name)) {
        throw new ValidationError(file, `${formatPath([i, 'actions', j, 'name'])}: unknown tool ${JSON.stringify(a.name)}`);
      }
      if (a.name === RESPOND_ACTION_NAME && typeof a.kwargs.content !== 'string') {
        throw new ValidationError(file, `${formatPath([i, 'actions', j, 'kwargs', 'content'])}: a respond action needs a string content`);
      }
      // Keep the Python view of the arguments (key order, 1 vs 1.0), not zod's plain copy.
      const rawAction = Array.isArray(rawActions) ? rawActions[j] : undefined;
      const kwargs = rawAction !== undefined && isDict(rawAction) ? rawAction.get('kwargs') : undefined;
      return { name: a.name, kwargs: kwargs !== undefined && isDict(kwargs) ? kwargs : new Map() };
    });
    return { userId: t.user_id, instruction: t.instruction, actions, outputs: t.outputs };
  });
}

// ---------------------------------------------------------------- loading

/** Loads one domain with the given task splits (all of them must exist). */
export async function loadTauDomain(
  source: PackSource,
  domain: TauDomain,
  splits: readonly TaskSplit[] = ['test'],
): Promise<DomainPack> {
  const impls = new Map(TOOL_IMPLEMENTATIONS[domain].map((t) => [t.name, t]));

  const toolsFile = `${domain}/tools.json`;
  const tools = check(toolsFile, z.array(ToolSchemaSchema), toJs(await readPackJson(source, toolsFile)));
  const toolsByName = new Map<string, TauTool>();
  tools.forEach((t, i) => {
    const impl = impls.get(t.function.name);
    if (!impl) {
      throw new ValidationError(toolsFile, `${formatPath([i, 'function', 'name'])}: no ${domain} tool is called ${JSON.stringify(t.function.name)}`);
    }
    toolsByName.set(impl.name, impl);
  });

  const wiki = await readPackText(source, `${domain}/wiki.md`);
  const rulesFile = `${domain}/rules.json`;
  const rules = check(rulesFile, z.array(z.string()), toJs(await readPackJson(source, rulesFile)));

  const db: PyDict = new Map();
  for (const table of TABLES[domain]) {
    const file = `${domain}/${table}.json`;
    const raw = await readPackJson(source, file);
    const schema = TABLE_SCHEMAS[domain][table];
    if (schema) check(file, schema, toJs(raw));
    db.set(table, raw);
  }

  const tasks: Partial<Record<TaskSplit, TauTask[]>> = {};
  for (const split of splits) {
    const file = `${domain}/tasks_${split}.json`;
    tasks[split] = toTasks(file, await readPackJson(source, file), new Set(toolsByName.keys()));
  }
  return { domain, wiki, rules, tools, toolsByName, tasks, db };
}

const USER_PROMPT_FILE = 'user_simulator_prompt.txt';

/** Loads the pack: the user simulator prompt and the named domains' test tasks (or `splits`). */
export async function loadTauPack(
  source: PackSource,
  domains: readonly TauDomain[] = ['retail', 'airline'],
  splits: Partial<Record<TauDomain, readonly TaskSplit[]>> = {},
): Promise<TauPack> {
  const userSimulatorPrompt = await readPackText(source, USER_PROMPT_FILE);
  if (!userSimulatorPrompt.includes('{instruction}')) {
    throw new ValidationError(USER_PROMPT_FILE, 'the prompt has no {instruction} placeholder');
  }
  const pack: TauPack = { describe: source.describe, userSimulatorPrompt, domains: {} };
  for (const domain of domains) pack.domains[domain] = await loadTauDomain(source, domain, splits[domain]);
  return pack;
}

/** The domain, or a ValidationError saying the pack was loaded without it. */
export function domainOf(pack: TauPack, domain: TauDomain): DomainPack {
  const d = pack.domains[domain];
  if (!d) throw new ValidationError(pack.describe, `domain ${domain} is not loaded`);
  return d;
}

/** A task, or a ValidationError naming the split and index. */
export function taskOf(pack: TauPack, domain: TauDomain, taskIndex: number, split: TaskSplit = 'test'): TauTask {
  const tasks = domainOf(pack, domain).tasks[split];
  if (!tasks) throw new ValidationError(`${domain}/tasks_${split}.json`, 'split is not loaded');
  const task = tasks[taskIndex];
  if (!Number.isInteger(taskIndex) || !task) {
    throw new ValidationError(`${domain}/tasks_${split}.json`, `no task ${taskIndex} (there are ${tasks.length})`);
  }
  return task;
}
