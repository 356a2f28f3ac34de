/**
 * A loaded UserBench pack as it crosses from the pack worker to the page.
 * Structured clone would drop PyFloat's class and copy every option of all
 * eight data files, so only the scenarios the index rows name travel, and
 * their Python values (options, search arguments) as Python JSON text that the
 * page parses when a scenario is first used (one scenario is a few tens of KB).
 */
import { z } from 'zod';
import { ValidationError, errorMessage } from '../../errors.ts';
import { ToolSchemaSchema } from '../../types.ts';
import { dumps, isDict, parseJson, type PyDict, type PyValue } from '../tau-bench/py.ts';
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
  /** `{"all_options": {dimension: [option, …]}, "arguments": {…}}` as Python's json.dumps writes it. */
  pyText: z.string(),
});
type ScenarioWire = z.infer<typeof ScenarioWireSchema>;

export const PackWireSchema = z.object({
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
  tasks: z.array(
    z.object({
      index: z.number().int(),
      id: z.string(),
      groundTruth: z.array(z.string()),
      system: z.string(),
      user: z.string(),
      sourceFile: z.string().optional(),
    }),
  ),
  indexFile: z.string(),
  scenarios: z.array(ScenarioWireSchema),
});
export type PackWire = z.infer<typeof PackWireSchema>;

function scenarioToWire(task: TravelTask): ScenarioWire {
  const py: PyDict = new Map<string, PyValue>([
    ['all_options', new Map<string, PyValue>([...task.allOptions].map(([dim, list]) => [dim, [...list]]))],
    ['arguments', task.arguments],
  ]);
  const { allOptions: _options, arguments: _arguments, ...plain } = task;
  return { ...plain, pyText: dumps(py) };
}

/** The pack as the worker posts it: the scenarios of its index rows only. */
export function packToWire(pack: UserBenchPack): PackWire {
  const scenarios: ScenarioWire[] = [];
  const seen = new Set<string>();
  for (const row of pack.tasks) {
    const task = pack.scenarios.get(row.id);
    if (!task || seen.has(row.id)) continue;
    seen.add(row.id);
    scenarios.push(scenarioToWire(task));
  }
  return { describe: pack.describe, prompts: pack.prompts, tool: pack.tool, tasks: pack.tasks, indexFile: pack.indexFile, scenarios };
}

/** Scenarios from the wire, each parsed on first use and kept. */
class WireScenarios implements ScenarioLookup {
  readonly #wire: ReadonlyMap<string, ScenarioWire>;
  readonly #parsed = new Map<string, TravelTask>();

  constructor(scenarios: readonly ScenarioWire[]) {
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
    const task = scenarioFromWire(wire);
    this.#parsed.set(id, task);
    return task;
  }
}

function scenarioFromWire(wire: ScenarioWire): TravelTask {
  const where = `scenario ${JSON.stringify(wire.id)} from the UserBench pack worker`;
  let py: PyValue;
  try {
    py = parseJson(wire.pyText);
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
  const { pyText: _text, ...plain } = wire;
  return { ...plain, allOptions, arguments: args };
}

/** The pack the page uses, from a validated wire value. */
export function packFromWire(wire: PackWire): UserBenchPack {
  return { ...wire, optionSchemas: wire.prompts.optionSchemas, scenarios: new WireScenarios(wire.scenarios) };
}
