/**
 * tau-bench's results file (what its run.py writes, and what
 * `historical_trajectories/` publishes) as ordinary History episodes.
 *
 * The file is a JSON list of `EnvRunResult`s, `{task_id, reward, info, traj,
 * trial}`. `traj` is the tool-calling agent's message list: the policy as
 * the system message, the simulated user's first message (its answer to
 * "Hi! How can I help you today?", which the agent never sees), then per
 * step the assistant message and either the tool message (a tool call; the
 * agent keeps only the first call) or the user's reply (a message).
 *
 * One episode per record, id `tau-bench/<domain>/<task_id>/<trial>`: the
 * system message becomes the policy, user messages user turns, each
 * assistant message one executed step (one proposal, no verdict) with the
 * following tool message as its observation; `info` is kept whole as
 * `rewardDetails`. Nothing the episode model can hold is dropped: the exact
 * arguments text of a call is kept in `step.envInfo.rawArguments` when
 * `JSON.stringify` of the parsed arguments would not give it back, and calls
 * beyond the first (which the agent never ran) in `step.envInfo.untakenToolCalls`.
 * Any other field with a value is refused rather than dropped. The whole file
 * is validated before anything is returned: one bad record rejects it,
 * naming the record and the field.
 */
import { z } from 'zod';
import { TAU_DOMAINS, type TaskSplit, type TauDomain } from '../envs/environment.ts';
import { formatPath, RESPOND_ACTION_NAME, TOOL_IMPLEMENTATIONS } from '../envs/tau-bench/pack.ts';
import { ValidationError, errorMessage } from '../errors.ts';
import { OutcomeSchema, type TimelineEntry } from '../loop/events.ts';
import type { Action, ToolCall } from '../contracts.ts';
import { TRACE_SCHEMA_VERSION, type EpisodeTrace } from './schema.ts';

const TauToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
});
type TauToolCall = z.infer<typeof TauToolCallSchema>;

const TauMessageSchema = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: z.string() }),
  z.looseObject({ role: z.literal('user'), content: z.string() }),
  z.looseObject({
    role: z.literal('assistant'),
    content: z.string().nullable().optional(),
    tool_calls: z.array(TauToolCallSchema).nullable().optional(),
  }),
  z.looseObject({ role: z.literal('tool'), tool_call_id: z.string(), name: z.string(), content: z.string() }),
]);
export type TauMessage = z.infer<typeof TauMessageSchema>;

const TauResultSchema = z.looseObject({
  task_id: z.number().int().nonnegative(),
  reward: z.number(),
  info: z.record(z.string(), z.unknown()),
  traj: z.array(TauMessageSchema),
  trial: z.number().int().nonnegative(),
});
export type TauResult = z.infer<typeof TauResultSchema>;

/** The fields each part may have; any other field must be empty (null, {}, []), or the file is refused rather than losing it. */
const KNOWN_FIELDS = {
  record: ['task_id', 'reward', 'info', 'traj', 'trial'],
  system: ['role', 'content'],
  user: ['role', 'content'],
  assistant: ['role', 'content', 'tool_calls'],
  tool: ['role', 'tool_call_id', 'name', 'content'],
  call: ['id', 'type', 'function'],
  function: ['name', 'arguments'],
} as const;

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

function checkNoExtraFields(obj: Record<string, unknown>, known: readonly string[], path: ReadonlyArray<PropertyKey>): void {
  for (const [k, v] of Object.entries(obj)) {
    if (!known.includes(k) && !isEmpty(v)) throw new RecordError(path.length ? [...path, k] : [k], 'a field an episode cannot hold; refused rather than dropped');
  }
}

/** A problem at a field of one record; turned into a ValidationError naming the record. */
class RecordError extends Error {
  constructor(
    readonly path: ReadonlyArray<PropertyKey>,
    message: string,
  ) {
    super(message);
  }
}

export interface TauResultsOptions {
  /** The domain, when the file does not show it (no domain-specific tool in it). */
  domain?: TauDomain;
  /** The split the tasks came from (the file does not say); default `test`. */
  taskSplit?: TaskSplit;
  /** The actor's label in History, e.g. the model; default `tau-bench results`. */
  actor?: string;
  /** The time stamped on the episodes (the file has none). */
  now?: number;
}

interface ParsedTauResults {
  domain: TauDomain;
  records: TauResult[];
  episodes: EpisodeTrace[];
}

/** Whether a file's text is a tau-bench results file (a JSON list) rather than Spotter's JSONL (one object per line). */
export function looksLikeTauResults(text: string): boolean {
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i];
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
    return c === '[';
  }
  return false;
}

/** The episode id of a record: `tau-bench/<domain>/<task_id>/<trial>`. */
function tauEpisodeId(domain: TauDomain, taskId: number, trial: number): string {
  return `tau-bench/${domain}/${taskId}/${trial}`;
}

const TOOL_NAMES: Record<TauDomain, ReadonlySet<string>> = {
  retail: new Set(TOOL_IMPLEMENTATIONS.retail.map((t) => t.name)),
  airline: new Set(TOOL_IMPLEMENTATIONS.airline.map((t) => t.name)),
};

/** Tool names the records use: their calls and their tasks' gold actions. */
function toolNamesIn(records: readonly TauResult[]): Set<string> {
  const names = new Set<string>();
  for (const r of records) {
    for (const m of r.traj) if (m.role === 'assistant') for (const c of m.tool_calls ?? []) names.add(c.function.name);
    const task = r.info.task;
    const actions = typeof task === 'object' && task !== null && 'actions' in task ? task.actions : undefined;
    if (Array.isArray(actions)) {
      for (const a of actions) {
        if (typeof a === 'object' && a !== null && 'name' in a && typeof a.name === 'string' && a.name !== RESPOND_ACTION_NAME) names.add(a.name);
      }
    }
  }
  return names;
}

/**
 * The domain the records ran in: the one domain whose tools include every
 * tool they name, when that domain is the only one that fits. Tools both
 * domains have, such as `transfer_to_human_agents`, decide nothing; then the
 * policy's title decides. `given` wins when it fits; a name no domain has is
 * an error.
 */
export function inferTauDomain(records: readonly TauResult[], given?: TauDomain): TauDomain {
  const names = toolNamesIn(records);
  const fits = TAU_DOMAINS.filter((d) => [...names].every((n) => TOOL_NAMES[d].has(n)));
  if (given) {
    if (!fits.includes(given)) {
      const foreign = [...names].filter((n) => !TOOL_NAMES[given].has(n));
      throw new ValidationError('file', `the ${given} domain has no tool ${foreign.map((n) => JSON.stringify(n)).join(', ')}`);
    }
    return given;
  }
  if (fits.length === 1 && fits[0]) return fits[0];
  if (fits.length === 0) {
    const unknown = [...names].filter((n) => !TAU_DOMAINS.some((d) => TOOL_NAMES[d].has(n)));
    throw new ValidationError(
      'file',
      unknown.length
        ? `no tau-bench domain has the tool${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}`
        : 'its tools mix the retail and airline domains',
    );
  }
  // Only tools every domain has: the policy's title (`# Airline Agent Policy`, `# Retail agent policy`) decides, when all agree.
  const titled = new Set(records.map((r) => policyDomain(r)));
  const only = titled.size === 1 ? [...titled][0] : undefined;
  if (only) return only;
  throw new ValidationError('file', `cannot tell the domain from its tools (it uses only tools every domain has) or its policy; choose ${TAU_DOMAINS.join(' or ')}`);
}

/** The domain a record's policy (its system message) names in its title, if it names one. */
function policyDomain(r: TauResult): TauDomain | undefined {
  const first = r.traj[0];
  if (first?.role !== 'system') return undefined;
  const title = /^#\s*(\w+)/.exec(first.content)?.[1]?.toLowerCase();
  return TAU_DOMAINS.find((d) => d === title);
}

function parseArguments(text: string, path: ReadonlyArray<PropertyKey>): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RecordError(path, `not valid JSON (${errorMessage(err)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordError(path, 'not a JSON object');
  return Object.fromEntries(Object.entries(value));
}

function toolCallOf(c: TauToolCall, path: ReadonlyArray<PropertyKey>): { call: ToolCall; raw?: string } {
  checkNoExtraFields(c, KNOWN_FIELDS.call, path);
  checkNoExtraFields(c.function, KNOWN_FIELDS.function, [...path, 'function']);
  const args = parseArguments(c.function.arguments, [...path, 'function', 'arguments']);
  const call = { id: c.id, name: c.function.name, arguments: args };
  return JSON.stringify(args) === c.function.arguments ? { call } : { call, raw: c.function.arguments };
}

/** The traj index of each step's assistant message: step k is the k-th assistant message. */
export function assistantMessageIndices(traj: readonly TauMessage[]): number[] {
  const out: number[] = [];
  traj.forEach((m, i) => {
    if (m.role === 'assistant') out.push(i);
  });
  return out;
}

/** One record as an episode; throws RecordError at the first field it cannot take. */
function episodeOf(r: TauResult, domain: TauDomain, opts: Required<Pick<TauResultsOptions, 'taskSplit' | 'actor' | 'now'>>): EpisodeTrace {
  checkNoExtraFields(r, KNOWN_FIELDS.record, []);
  const at = opts.now;
  let policy = '';
  const timeline: TimelineEntry[] = [];
  let stepIndex = 0;
  const traj = r.traj;
  for (let i = 0; i < traj.length; i++) {
    const m = traj[i];
    if (!m) continue;
    const path = ['traj', i];
    checkNoExtraFields(m, KNOWN_FIELDS[m.role], path);
    if (m.role === 'system') {
      if (i !== 0) throw new RecordError(path, 'a system message after the start; only the first message may be the policy');
      policy = m.content;
      continue;
    }
    if (m.role === 'user') {
      timeline.push({ type: 'user', content: m.content, at });
      continue;
    }
    if (m.role === 'tool') throw new RecordError(path, 'a tool message that follows no tool call');
    const calls = m.tool_calls ?? [];
    const content = m.content ?? '';
    let executed: Action;
    let observation: string | null = null;
    const envInfo: Record<string, unknown> = {};
    const first = calls[0];
    if (first) {
      const { call, raw } = toolCallOf(first, [...path, 'tool_calls', 0]);
      executed = { kind: 'tool_call', call, ...(content ? { content } : {}) };
      if (raw !== undefined) envInfo.rawArguments = raw;
      if (calls.length > 1) {
        envInfo.untakenToolCalls = calls.slice(1).map((c, k) => {
          const t = toolCallOf(c, [...path, 'tool_calls', k + 1]);
          return { ...t.call, ...(t.raw !== undefined ? { rawArguments: t.raw } : {}) };
        });
      }
      const next = traj[i + 1];
      if (next?.role !== 'tool') throw new RecordError([...path, 'tool_calls'], 'a tool call with no tool message after it');
      if (next.tool_call_id !== call.id) throw new RecordError(['traj', i + 1, 'tool_call_id'], `${JSON.stringify(next.tool_call_id)} is not the call before it (${JSON.stringify(call.id)})`);
      if (next.name !== call.name) throw new RecordError(['traj', i + 1, 'name'], `${JSON.stringify(next.name)} is not the tool called before it (${JSON.stringify(call.name)})`);
      checkNoExtraFields(next, KNOWN_FIELDS.tool, ['traj', i + 1]);
      observation = next.content;
      i++;
    } else {
      executed = { kind: 'message', content };
    }
    timeline.push({
      type: 'step',
      step: {
        index: stepIndex++,
        proposals: [{ attempt: 0, action: executed, latencyMs: 0 }],
        executed,
        flagged: false,
        observation,
        ...(Object.keys(envInfo).length ? { envInfo } : {}),
        startedAt: at,
        endedAt: at,
      },
    });
  }
  const error = typeof r.info.error === 'string' ? r.info.error : undefined;
  // run.py fills reward_info when the episode ended by itself (the user stopped, a transfer);
  // without it the agent ran out of steps, or the run raised (info.error, empty traj).
  // Spotter's own results export says how the episode ended (info.outcome).
  const outcome = OutcomeSchema.safeParse(r.info.outcome);
  const status = error !== undefined ? 'error' : outcome.success ? outcome.data : r.info.reward_info ? 'done' : 'max_steps';
  return {
    schemaVersion: TRACE_SCHEMA_VERSION,
    id: tauEpisodeId(domain, r.task_id, r.trial),
    createdAt: at,
    updatedAt: at,
    meta: {
      environment: { family: 'tau-bench', domain },
      taskIndex: r.task_id,
      taskSplit: opts.taskSplit,
      trial: r.trial,
      actor: opts.actor,
      mode: 'off',
      maxRevisions: 0,
      failureRule: 'fail-open',
      userKind: 'simulated',
    },
    policy,
    timeline,
    status,
    endedAt: at,
    reward: r.reward,
    rewardDetails: r.info,
    ...(error !== undefined ? { error } : {}),
  };
}

/** Validates the file's list of records; the first problem rejects all of it, naming the record and field. */
export function parseTauResultRecords(value: unknown): TauResult[] {
  if (!Array.isArray(value)) throw new ValidationError('file', 'not a tau-bench results file (a JSON list of {task_id, reward, info, traj, trial})');
  if (value.length === 0) throw new ValidationError('file', 'no episodes in it');
  const out: TauResult[] = [];
  value.forEach((v, i) => {
    const r = TauResultSchema.safeParse(v);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new ValidationError(`record ${i}`, issue ? `${formatPath(issue.path)}: ${issue.message}` : 'invalid');
    }
    out.push(r.data);
  });
  return out;
}

/** Records → episodes (the domain inferred unless given); every record is checked before any is returned. */
export function tauResultsToEpisodes(records: readonly TauResult[], opts: TauResultsOptions = {}): ParsedTauResults {
  const domain = inferTauDomain(records, opts.domain);
  const o = { taskSplit: opts.taskSplit ?? 'test', actor: opts.actor ?? 'tau-bench results', now: opts.now ?? Date.now() };
  const episodes = records.map((r, i) => {
    try {
      return episodeOf(r, domain, o);
    } catch (err) {
      if (err instanceof RecordError) throw new ValidationError(`record ${i} (task ${r.task_id}, trial ${r.trial})`, `${formatPath(err.path)}: ${err.message}`);
      throw err;
    }
  });
  return { domain, records: [...records], episodes };
}

/** A results file's text → episodes. */
export function parseTauResults(text: string, opts: TauResultsOptions = {}): ParsedTauResults {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new ValidationError('file', `not valid JSON (${errorMessage(err)})`);
  }
  return tauResultsToEpisodes(parseTauResultRecords(value), opts);
}

