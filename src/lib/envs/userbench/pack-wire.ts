/**
 * A loaded UserBench pack as it crosses from the pack worker to the page.
 * Structured clone would drop PyFloat's class and copy every option of all
 * eight data files, so only the scenarios the index rows name travel, and
 * their Python values (options, search arguments) as Python JSON text, all in
 * one transferred buffer (no copy, no work on the page's thread at arrival),
 * decoded and parsed when a scenario is first used (a few tens of KB each).
 */
import { z } from 'zod';
import { ValidationError, errorMessage } from '../../errors.ts';
import { ToolSchemaSchema } from '../../contracts.ts';
import { dumps, isDict, parseJson, type PyValue } from '../tau-bench/py.ts';
import type { ScenarioLookup, UserBenchPack } from './pack.ts';
import type { TravelTask } from './task.ts';

const PromptPairSchema = z.object({ system: z.string(), user: z.string() });

const ScenarioWireSchema = z.object({
  id: z.string(),
  scenario: z.string(),
  dimensions: z.array(z.string()),
  wantedNum: z.array(z.number()),
  initialDesc: z.string(),
  preferences: z.array(
    z.object({ id: z.string(), aspect: z.string(), subcategory: z.string(), preference: z.string(), implicitElicitation: z.string(), dimension: z.string() }),
  ),
  correctIds: z.array(z.string()),
  bestIds: z.array(z.string()),
  /** Where in `pyTexts` (UTF-8 byte offsets) `{"all_options": {…}, "arguments": {…}}` is, as Python's json.dumps writes it. */
  pyStart: z.number().int().nonnegative(),
  pyEnd: z.number().int().nonnegative(),
});
type ScenarioWire = z.infer<typeof ScenarioWireSchema>;

const TaskRowSchema = z.object({
  index: z.number().int(),
  id: z.string(),
  groundTruth: z.array(z.string()),
  system: z.string(),
  user: z.string(),
  sourceFile: z.string().optional(),
});

const PackWireSchema = z.object({
  describe: z.string(),
  prompts: z.object({
    judgeSearch: PromptPairSchema,
    judgeUtterance: PromptPairSchema,
    responsePreference: PromptPairSchema,
    responseElicit: PromptPairSchema,
    responseNatural: PromptPairSchema,
    optionSchemas: z.record(z.string(), z.string()),
  }),
  tool: ToolSchemaSchema,
  tasks: z.array(TaskRowSchema),
  indexFile: z.string(),
  scenarios: z.array(ScenarioWireSchema),
  pyTexts: z.instanceof(ArrayBuffer),
});
export type PackWire = z.infer<typeof PackWireSchema>;

function pyTextOf(task: TravelTask): string {
  return dumps(
    new Map<string, PyValue>([
      ['all_options', new Map<string, PyValue>([...task.allOptions].map(([dim, list]) => [dim, [...list]]))],
      ['arguments', task.arguments],
    ]),
  );
}

/** The pack as the worker posts it (transfer `pyTexts`): the scenarios of its index rows only. */
export function packToWire(pack: UserBenchPack): PackWire {
  const scenarios: ScenarioWire[] = [];
  const texts: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const seen = new Set<string>();
  let at = 0;
  for (const row of pack.tasks) {
    const task = pack.scenarios.get(row.id);
    if (!task || seen.has(row.id)) continue;
    seen.add(row.id);
    const bytes = encoder.encode(pyTextOf(task));
    texts.push(bytes);
    const { allOptions: _options, arguments: _arguments, ...plain } = task;
    scenarios.push({ ...plain, pyStart: at, pyEnd: at + bytes.length });
    at += bytes.length;
  }
  const pyTexts = new Uint8Array(at);
  let offset = 0;
  for (const t of texts) {
    pyTexts.set(t, offset);
    offset += t.length;
  }
  return { describe: pack.describe, prompts: pack.prompts, tool: pack.tool, tasks: pack.tasks, indexFile: pack.indexFile, scenarios, pyTexts: pyTexts.buffer };
}

/** Scenarios from the wire, each parsed on first use and kept. */
class WireScenarios implements ScenarioLookup {
  readonly #wire: ReadonlyMap<string, ScenarioWire>;
  readonly #parsed = new Map<string, TravelTask>();

  constructor(
    scenarios: readonly ScenarioWire[],
    private readonly pyTexts: ArrayBuffer,
  ) {
    this.#wire = new Map(scenarios.map((s) => [s.id, s]));
  }

  get size(): number {
    return this.#wire.size;
  }

  get(id: string): TravelTask | undefined {
    const hit = this.#parsed.get(id);
    if (hit) return hit;
    const wire = this.#wire.get(id);
    if (!wire) return undefined;
    const task = scenarioFromWire(wire, this.pyTexts);
    this.#parsed.set(id, task);
    return task;
  }
}

function scenarioFromWire(wire: ScenarioWire, pyTexts: ArrayBuffer): TravelTask {
  const where = `scenario ${JSON.stringify(wire.id)} from the UserBench pack worker`;
  let py: PyValue;
  try {
    if (wire.pyEnd < wire.pyStart || wire.pyEnd > pyTexts.byteLength) throw new Error('its text is outside the buffer');
    py = parseJson(new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(pyTexts, wire.pyStart, wire.pyEnd - wire.pyStart)));
  } catch (err) {
    throw new ValidationError(where, errorMessage(err));
  }
  const options = isDict(py) ? py.get('all_options') : undefined;
  const args = isDict(py) ? py.get('arguments') : undefined;
  if (options === undefined || !isDict(options) || args === undefined || !isDict(args)) throw new ValidationError(where, 'expected all_options and arguments objects');
  const allOptions = new Map<string, PyValue[]>();
  for (const [dim, list] of options) {
    if (!Array.isArray(list)) throw new ValidationError(where, `all_options.${dim}: expected a list`);
    allOptions.set(dim, list);
  }
  const { pyStart: _start, pyEnd: _end, ...plain } = wire;
  return { ...plain, allOptions, arguments: args };
}

/** The pack the page uses, from a validated wire value. */
function packFromWire(wire: PackWire): UserBenchPack {
  const { pyTexts, ...rest } = wire;
  return { ...rest, optionSchemas: wire.prompts.optionSchemas, scenarios: new WireScenarios(wire.scenarios, pyTexts) };
}

const SLICE = 16;
/** The pack without checking its rows, which packFromPosted checks a slice at a time. */
const PostedHeadSchema = PackWireSchema.extend({ tasks: z.array(z.unknown()), scenarios: z.array(z.unknown()) });
const nextTask = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * Validates a posted pack a few rows at a time, yielding between slices, so a
 * big index never holds the page's thread for long; then packFromWire.
 */
export async function packFromPosted(value: unknown): Promise<UserBenchPack> {
  const fail = (what: string, issue: z.core.$ZodIssue | undefined): never => {
    throw new ValidationError('pack from the UserBench pack worker', `${what}${issue ? ` ${issue.path.join('.')}: ${issue.message}` : ''}`);
  };
  await nextTask(); // the message event's own task only reads the message
  const head = PostedHeadSchema.safeParse(value);
  if (!head.success) return fail('', head.error.issues[0]);
  const tasks: PackWire['tasks'] = [];
  const scenarios: ScenarioWire[] = [];
  for (const [list, schema, out, name] of [
    [head.data.tasks, TaskRowSchema, tasks, 'tasks'],
    [head.data.scenarios, ScenarioWireSchema, scenarios, 'scenarios'],
  ] as const) {
    for (let i = 0; i < list.length; i += SLICE) {
      await nextTask();
      const r = z.array(schema).safeParse(list.slice(i, i + SLICE));
      if (!r.success) return fail(`${name} from ${i}:`, r.error.issues[0]);
      (out as unknown[]).push(...r.data);
    }
  }
  return packFromWire({ ...head.data, tasks, scenarios });
}
