/**
 * What a benchmark run is (tasks × trials × configurations) and how it is cut
 * into episode slots. The run spec is persisted, so it is a zod schema; it
 * names models and endpoints but never holds a key.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { ModelSpecSchema } from '../setup/specs.ts';
import { CriticModeSchema, FailureRuleSchema } from '../contracts.ts';
import { BenchSplitSchema, environmentName, type EpisodeEnvironment } from '../envs/environment.ts';
import { BenchEnvironmentSchema, episodeEnvironment } from '../envs/bench-environment.ts';
import { DataSourceSchema } from '../loop/events.ts';

/** The environment the run's episodes record (its own, without the run options). */
export function runEnvironment(spec: Pick<RunSpec, 'environment'>): EpisodeEnvironment {
  return episodeEnvironment(spec.environment);
}

/** The run's environment name, e.g. 'tau-bench/retail' or 'userbench/travel22' (UserBench's result files key on it). */
export function runEnvironmentName(spec: Pick<RunSpec, 'environment'>): string {
  return environmentName(runEnvironment(spec));
}

const BenchConfigurationSchema = z.object({
  label: z.string().min(1),
  mode: CriticModeSchema,
  critic: ModelSpecSchema.optional(),
  maxRevisions: z.number().int().nonnegative().default(2),
  failureRule: FailureRuleSchema.default('fail-open'),
});

export const RunSpecSchema = z.object({
  id: z.string().min(1),
  /** The benchmark and its family's options, as data (never a name that code parses again). */
  environment: BenchEnvironmentSchema,
  /** The task split; each family checks it has it (tau-bench: test/train/dev; τ³: base/train/test, telecom also small). */
  split: BenchSplitSchema.default('test'),
  taskIndices: z.array(z.number().int().nonnegative()).min(1),
  trials: z.number().int().min(1),
  configurations: z.array(BenchConfigurationSchema).min(1),
  concurrency: z.number().int().min(1),
  actor: ModelSpecSchema,
  /** The simulated user's model (tau-bench: a separate LLM; UserBench: its judges and simulated user). */
  user: ModelSpecSchema,
  /** The simulated user's temperature; absent: the provider's default (tau-bench sends none; UserBench's TravelGymConfig: 0). */
  userTemperature: z.number().min(0).optional(),
  /** tau-bench's agent: 30 actions at most (UserBench: max_turns, 20 in eval.sh). */
  maxSteps: z.number().int().min(1).default(30),
  /** tau-bench's agent runs at temperature 0. */
  temperature: z.number().min(0).default(0),
  criticTimeoutMs: z.number().int().positive().default(60_000),
  /** τ³: the NL-assertion judge's model (the original: gpt-4.1 at temperature 0); absent: such rewards are "not judged". */
  nlJudge: ModelSpecSchema.optional(),
  /** Where the benchmark pack came from (a URL, or a folder the person opened): a resume must use the same. */
  pack: z.string().optional(),
  /** τ³: where the data was read from; each episode records it (`meta.dataSource`) so the Data tab reads the same gold. */
  dataSource: DataSourceSchema.optional(),
});
export type RunSpec = z.infer<typeof RunSpecSchema>;
export type RunSpecInput = z.input<typeof RunSpecSchema>;

/** One episode to run: a configuration on a task in a trial. */
export interface Slot {
  key: string;
  configIndex: number;
  configLabel: string;
  taskIndex: number;
  trial: number;
  /** Stable, so a re-run after a reload overwrites the interrupted trace instead of leaving a stray one. */
  episodeId: string;
}

function slotKey(configIndex: number, taskIndex: number, trial: number): string {
  return `c${configIndex}-t${taskIndex}-r${trial}`;
}

/** Validates a spec: unique configuration labels, unique tasks, a critic wherever one is used. */
export function parseRunSpec(input: unknown): RunSpec {
  const r = RunSpecSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ValidationError(`run spec ${issue?.path.join('.') || '(root)'}`, issue?.message ?? 'invalid');
  }
  const spec = r.data;
  const labels = new Set<string>();
  spec.configurations.forEach((c, i) => {
    if (labels.has(c.label)) throw new ValidationError(`run spec configurations.${i}.label`, `duplicate label "${c.label}"`);
    labels.add(c.label);
    if (c.mode !== 'off' && !c.critic) {
      throw new ValidationError(`run spec configurations.${i}.critic`, `mode "${c.mode}" needs a critic`);
    }
  });
  if (new Set(spec.taskIndices).size !== spec.taskIndices.length) {
    throw new ValidationError('run spec taskIndices', 'a task is listed twice');
  }
  return spec;
}

/**
 * All episode slots, trial-major then task then configuration: the
 * configurations advance side by side, so partial results compare fairly.
 */
export function planSlots(spec: RunSpec): Slot[] {
  const slots: Slot[] = [];
  for (let trial = 0; trial < spec.trials; trial++) {
    for (const taskIndex of spec.taskIndices) {
      spec.configurations.forEach((c, configIndex) => {
        const key = slotKey(configIndex, taskIndex, trial);
        slots.push({ key, configIndex, configLabel: c.label, taskIndex, trial, episodeId: `${spec.id}/${key}` });
      });
    }
  }
  return slots;
}

/**
 * Parses a task selection like "0-9", "3", "0-4,10,12-13" into sorted unique
 * indices. `max` (exclusive) bounds them when the task count is known.
 */
export function parseTaskRange(text: string, max?: number): number[] {
  const out = new Set<number>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m?.[1]) throw new ValidationError('tasks', `"${part}" is not a task index or range like 0-9`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw new ValidationError('tasks', `range "${part}" runs backwards`);
    if (max !== undefined && hi >= max) throw new ValidationError('tasks', `task ${hi} does not exist (there are ${max})`);
    for (let i = lo; i <= hi; i++) out.add(i);
  }
  if (out.size === 0) throw new ValidationError('tasks', 'no task selected');
  return [...out].sort((a, b) => a - b);
}
