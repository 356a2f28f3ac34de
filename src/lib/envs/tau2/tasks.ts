/**
 * tau2 tasks (src/tau2/data_model/tasks.py), validated once where a tasks
 * file enters. Tool-call arguments stay Python values (`PyValue`: dict order,
 * int vs float), since actions are compared and replayed with them.
 */
import { z } from 'zod';
import { isDict, parseJson, toJs, type PyDict, type PyValue } from '../tau-bench/py.ts';

export const REWARD_TYPES = ['DB', 'ENV_ASSERTION', 'NL_ASSERTION', 'ACTION', 'COMMUNICATE'] as const;
export const RewardType = z.enum(REWARD_TYPES);
export type RewardType = z.infer<typeof RewardType>;
export const ToolRequestorSchema = z.enum(['assistant', 'user']);

const ActionSchema = z.object({
  action_id: z.string(),
  requestor: ToolRequestorSchema.default('assistant'),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  info: z.string().nullable().optional(),
  compare_args: z.array(z.string()).nullable().optional(),
});
const EnvFunctionCallSchema = z.object({
  env_type: ToolRequestorSchema,
  func_name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
});
const EnvAssertionSchema = EnvFunctionCallSchema.extend({
  assert_value: z.boolean().default(true),
  message: z.string().nullable().optional(),
});
const StructuredInstructionsSchema = z.object({
  domain: z.string(),
  reason_for_call: z.string(),
  known_info: z.string().nullable().optional(),
  unknown_info: z.string().nullable().optional(),
  task_instructions: z.string(),
});
const UserScenarioSchema = z.object({
  persona: z.string().nullable().optional(),
  instructions: z.union([StructuredInstructionsSchema, z.string()]),
});
const TaskSchema = z.object({
  id: z.string(),
  user_scenario: UserScenarioSchema.nullable().optional(),
  initial_state: z
    .object({
      initialization_data: z
        .object({ agent_data: z.record(z.string(), z.unknown()).nullable().optional(), user_data: z.record(z.string(), z.unknown()).nullable().optional() })
        .nullable()
        .optional(),
      initialization_actions: z.array(EnvFunctionCallSchema).nullable().optional(),
      message_history: z.array(z.unknown()).nullable().optional(),
    })
    .nullable()
    .optional(),
  evaluation_criteria: z
    .object({
      actions: z.array(ActionSchema).nullable().optional(),
      env_assertions: z.array(EnvAssertionSchema).nullable().optional(),
      communicate_info: z.array(z.string()).nullable().optional(),
      nl_assertions: z.array(z.string()).nullable().optional(),
      reward_basis: z.array(RewardType).default(['DB', 'COMMUNICATE']),
    })
    .nullable()
    .optional(),
});

export interface Tau2Action {
  actionId: string;
  requestor: 'assistant' | 'user';
  name: string;
  arguments: PyDict;
  compareArgs: string[] | null;
}
export interface EnvFunctionCall {
  envType: 'assistant' | 'user';
  funcName: string;
  arguments: PyDict;
}
export interface EnvAssertion extends EnvFunctionCall {
  assertValue: boolean;
  message: string | null;
}
export interface Tau2Task {
  id: string;
  /** `str(task.user_scenario)`: what the user simulator is told (null when the task has none). */
  userInstructions: string | null;
  initializationData: { agentData: PyDict | null; userData: PyDict | null } | null;
  initializationActions: EnvFunctionCall[];
  criteria: {
    actions: Tau2Action[] | null;
    envAssertions: EnvAssertion[] | null;
    communicateInfo: string[];
    nlAssertions: string[];
    rewardBasis: RewardType[];
  } | null;
}

/** Python's `str.splitlines(keepends=True)`. */
function splitLinesKeepEnds(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- Python's line boundaries include \x1c-\x1e
  return text.match(/[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]|$)/g)?.filter((l) => l !== '') ?? [];
}

/** `textwrap.indent(text, prefix)`: the prefix on every line that is not whitespace only. */
export function textwrapIndent(text: string, prefix: string): string {
  return splitLinesKeepEnds(text)
    .map((line) => (line.trim() === '' ? line : prefix + line))
    .join('');
}

/** `str(UserScenario)` with `StructuredUserInstructions.__str__` (data_model/tasks.py). */
function userScenarioText(u: z.infer<typeof UserScenarioSchema>): string {
  const lines: string[] = [];
  if (u.persona !== null && u.persona !== undefined) lines.push('Persona:', textwrapIndent(u.persona, '\t'));
  const i = u.instructions;
  let text: string;
  if (typeof i === 'string') text = i;
  else {
    const parts = [`Domain: ${i.domain}`, `Reason for call:\n${textwrapIndent(i.reason_for_call, '\t')}`];
    if (i.known_info !== null && i.known_info !== undefined) parts.push(`Known info:\n${textwrapIndent(i.known_info, '\t')}`);
    if (i.unknown_info !== null && i.unknown_info !== undefined) parts.push(`Unknown info:\n${textwrapIndent(i.unknown_info, '\t')}`);
    parts.push(`Task instructions:\n${textwrapIndent(i.task_instructions, '\t')}`);
    text = parts.join('\n');
  }
  lines.push('Instructions:', textwrapIndent(text, '\t'));
  return lines.join('\n');
}

function pyDictAt(v: PyValue | undefined, where: string): PyDict {
  if (v === undefined || !isDict(v)) throw new Error(`${where} is not an object`);
  return v;
}
const child = (d: PyDict, k: string): PyValue | undefined => d.get(k);
function listAt(v: PyValue | undefined): PyValue[] {
  return Array.isArray(v) ? v : [];
}

/** A tasks.json text's task objects, as Python's json.load reads them (a list, or `{"tasks": [...]}`). */
export function parseTaskList(text: string, source: string): PyValue[] {
  let root = parseJson(text);
  if (isDict(root) && root.has('tasks')) root = root.get('tasks') ?? null;
  if (!Array.isArray(root)) throw new Error(`${source}: expected a list of tasks`);
  return root;
}

/** Parses a tasks.json text (a list, or `{"tasks": [...]}`); errors name the task and field. */
export function parseTasks(text: string, source: string): Tau2Task[] {
  return parseTaskList(text, source).map((raw, i) => taskFromRaw(raw, i, source));
}

/** Task #`i` of `source` from its tasks.json object, validated; errors name the task and field. */
export function taskFromRaw(raw: PyValue, i: number, source: string): Tau2Task {
  const checked = TaskSchema.safeParse(toJs(raw));
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new Error(`${source}: task #${i} (${String(isDict(raw) ? raw.get('id') : '?')}) field ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  const t = checked.data;
  const d = pyDictAt(raw, `${source}: task #${i}`);
  const state = child(d, 'initial_state');
  const crit = child(d, 'evaluation_criteria');
  const init = isDict(state ?? null) ? child(pyDictAt(state, 'initial_state'), 'initialization_data') : undefined;
  const fnCalls = (xs: PyValue | undefined): EnvFunctionCall[] =>
    listAt(xs).map((x) => {
      const c = pyDictAt(x, 'env function call');
      return { envType: c.get('env_type') === 'user' ? 'user' : 'assistant', funcName: String(c.get('func_name')), arguments: pyDictAt(c.get('arguments'), 'arguments') };
    });
  const criteria = t.evaluation_criteria;
  const critDict = isDict(crit ?? null) ? pyDictAt(crit, 'evaluation_criteria') : null;
  return {
    id: t.id,
    userInstructions: t.user_scenario ? userScenarioText(t.user_scenario) : null,
    initializationData:
      init !== undefined && isDict(init)
        ? { agentData: isDict(init.get('agent_data') ?? null) ? pyDictAt(init.get('agent_data'), 'agent_data') : null, userData: isDict(init.get('user_data') ?? null) ? pyDictAt(init.get('user_data'), 'user_data') : null }
        : null,
    initializationActions: isDict(state ?? null) ? fnCalls(pyDictAt(state, 'initial_state').get('initialization_actions')) : [],
    criteria:
      criteria && critDict
        ? {
            actions:
              criteria.actions === null || criteria.actions === undefined
                ? null
                : listAt(critDict.get('actions')).map((x, j) => {
                    const a = criteria.actions?.[j];
                    return {
                      actionId: a?.action_id ?? '',
                      requestor: a?.requestor ?? 'assistant',
                      name: a?.name ?? '',
                      arguments: pyDictAt(pyDictAt(x, 'action').get('arguments'), 'arguments'),
                      compareArgs: a?.compare_args ?? null,
                    };
                  }),
            envAssertions:
              criteria.env_assertions === null || criteria.env_assertions === undefined
                ? null
                : fnCalls(critDict.get('env_assertions')).map((c, j) => ({
                    ...c,
                    assertValue: criteria.env_assertions?.[j]?.assert_value ?? true,
                    message: criteria.env_assertions?.[j]?.message ?? null,
                  })),
            communicateInfo: criteria.communicate_info ?? [],
            nlAssertions: criteria.nl_assertions ?? [],
            rewardBasis: criteria.reward_basis,
          }
        : null,
  };
}
