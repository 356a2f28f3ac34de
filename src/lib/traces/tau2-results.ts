/**
 * tau2-bench's results file (`Results` of src/tau2/data_model/simulation.py, as
 * `tau2 run` and Spotter's τ³ export write it) as ordinary History episodes.
 *
 * One episode per simulation, id `tau2/<domain>/<simulation id>` (so importing
 * the same file again adds nothing). The timeline is what History shows: the
 * user's messages as user turns, each agent tool call as a step with its
 * result as the observation, each agent text as a message step; the user's own
 * tool calls (telecom) go to `rewardDetails.userActions` with the turn they
 * belong to, as the live τ³ environment records them. Nothing is dropped:
 * `rewardDetails.tau2` keeps the simulation whole (every message with its
 * timestamps, costs and usage; reward_info; termination reason; times) and its
 * task, so the file's content can be written back from History. The whole file
 * is validated before anything is returned: one bad simulation rejects it,
 * naming the simulation and the field.
 */
import { z } from 'zod';
import { Tau2DomainSchema, type Tau2Domain } from '../envs/environment.ts';
import { formatPath } from '../envs/tau-bench/pack.ts';
import { errorMessage, ValidationError } from '../errors.ts';
import type { Outcome, TimelineEntry } from '../loop/events.ts';
import type { Action } from '../contracts.ts';
import { TRACE_SCHEMA_VERSION, type EpisodeTrace } from './schema.ts';

const ToolCallSchema = z.looseObject({
  id: z.string(),
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
  requestor: z.enum(['assistant', 'user']).optional(),
});
const TurnMessageSchema = z.looseObject({
  role: z.enum(['assistant', 'user']),
  content: z.string().nullable().optional(),
  tool_calls: z.array(ToolCallSchema).nullable().optional(),
});
const ToolMessageSchema = z.looseObject({
  role: z.literal('tool'),
  id: z.string(),
  content: z.string().nullable().optional(),
  requestor: z.enum(['assistant', 'user']).optional(),
  error: z.boolean().optional(),
});
const SystemMessageSchema = z.looseObject({ role: z.literal('system'), content: z.string().nullable().optional() });
const MessageSchema = z.discriminatedUnion('role', [TurnMessageSchema.extend({ role: z.literal('assistant') }), TurnMessageSchema.extend({ role: z.literal('user') }), ToolMessageSchema, SystemMessageSchema]);
type Tau2FileMessage = z.infer<typeof MessageSchema>;

const TERMINATIONS = ['user_stop', 'agent_stop', 'max_steps', 'timeout', 'too_many_errors', 'agent_error', 'user_error', 'infrastructure_error', 'context_window_exceeded', 'unexpected_error'] as const;

const SimulationSchema = z.looseObject({
  id: z.string().min(1),
  task_id: z.union([z.string(), z.number()]),
  trial: z.number().int().nonnegative().nullable().optional(),
  start_time: z.string().optional(),
  termination_reason: z.enum(TERMINATIONS),
  reward_info: z
    .looseObject({
      reward: z.number(),
      reward_breakdown: z.record(z.string(), z.number()).nullable().optional(),
      reward_basis: z.array(z.string()).nullable().optional(),
      db_check: z.looseObject({ db_match: z.boolean() }).nullable().optional(),
      action_checks: z.array(z.looseObject({ action: z.looseObject({ action_id: z.string(), name: z.string() }), action_match: z.boolean() })).nullable().optional(),
      communicate_checks: z.array(z.looseObject({ info: z.string(), met: z.boolean() })).nullable().optional(),
      env_assertions: z.array(z.looseObject({ env_assertion: z.looseObject({ func_name: z.string() }), met: z.boolean() })).nullable().optional(),
      nl_assertions: z.array(z.looseObject({ met: z.boolean(), justification: z.string() })).nullable().optional(),
    })
    .nullable()
    .optional(),
  messages: z.array(MessageSchema).nullable().optional(),
});
type Tau2FileSimulation = z.infer<typeof SimulationSchema>;

export const Tau2ResultsFileSchema = z.looseObject({
  info: z.looseObject({
    environment_info: z.looseObject({ domain_name: z.string(), policy: z.string() }),
    agent_info: z.looseObject({ implementation: z.string(), llm: z.string().nullable().optional() }),
    user_info: z.looseObject({ llm: z.string().nullable().optional() }).optional(),
  }),
  tasks: z.array(z.looseObject({ id: z.union([z.string(), z.number()]) })),
  simulations: z.array(z.unknown()),
});

/**
 * The file's JSON when its text is a tau2-bench results file: one JSON object with `simulations`
 * (v1's file is a list; Spotter's JSONL, one episode per line, is not one JSON value unless it has one line).
 */
export function tau2ResultsValue(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trimStart()[0] !== '{') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && 'simulations' in value ? value : undefined;
}

/** The episode id of a simulation: `tau2/<domain>/<simulation id>`. */
export function tau2EpisodeId(domain: Tau2Domain, simulationId: string): string {
  return `tau2/${domain}/${simulationId}`;
}

class SimError extends Error {
  constructor(
    readonly path: ReadonlyArray<PropertyKey>,
    message: string,
  ) {
    super(message);
  }
}

const OUTCOMES: Record<(typeof TERMINATIONS)[number], Outcome> = {
  user_stop: 'done',
  agent_stop: 'done',
  max_steps: 'max_steps',
  timeout: 'error',
  too_many_errors: 'error',
  agent_error: 'error',
  user_error: 'error',
  infrastructure_error: 'error',
  context_window_exceeded: 'error',
  unexpected_error: 'error',
};

function startedAt(sim: Tau2FileSimulation, fallback: number): number {
  const t = sim.start_time === undefined ? NaN : Date.parse(sim.start_time);
  return Number.isFinite(t) ? t : fallback;
}

function episodeOf(sim: Tau2FileSimulation, raw: unknown, domain: Tau2Domain, file: z.infer<typeof Tau2ResultsFileSchema>, now: number): EpisodeTrace {
  const at = startedAt(sim, now);
  const messages: Tau2FileMessage[] = sim.messages ?? [];
  const timeline: TimelineEntry[] = [];
  const userActions: Array<{ name: string; arguments: Record<string, unknown>; content: string; error: boolean; turn: number }> = [];
  let userTurns = 0;
  let stepIndex = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!m || m.role === 'system') continue;
    if (m.role === 'tool') throw new SimError(['messages', i], 'a tool message that follows no tool call');
    const calls = m.tool_calls ?? [];
    const results: Array<z.infer<typeof ToolMessageSchema>> = [];
    for (const [k, c] of calls.entries()) {
      const next = messages[i + 1 + k];
      if (next?.role !== 'tool') throw new SimError(['messages', i, 'tool_calls', k], 'a tool call with no tool message after it');
      if (next.id !== c.id) throw new SimError(['messages', i + 1 + k, 'id'], `${JSON.stringify(next.id)} is not the call it follows (${JSON.stringify(c.id)})`);
      results.push(next);
    }
    if (m.role === 'user') {
      calls.forEach((c, k) => {
        const content = results[k]?.content ?? '';
        const error = results[k]?.error ?? false;
        userActions.push({ name: c.name, arguments: c.arguments, content, error, turn: userTurns });
        // In the timeline too, in its place beside the user's turns, as a live episode stores it.
        timeline.push({ type: 'user_tool', call: { id: c.id, name: c.name, arguments: c.arguments }, observation: content, error, at });
      });
      if (m.content !== null && m.content !== undefined && (calls.length === 0 || m.content.trim() !== '')) {
        timeline.push({ type: 'user', content: m.content, at });
        userTurns++;
      }
    } else if (calls.length === 0) {
      const executed: Action = { kind: 'message', content: m.content ?? '' };
      timeline.push({ type: 'step', step: { index: stepIndex++, proposals: [{ attempt: 0, action: executed, latencyMs: 0 }], executed, flagged: false, observation: null, startedAt: at, endedAt: at } });
    } else {
      calls.forEach((c, k) => {
        const text = k === 0 && m.content ? { content: m.content } : {};
        const executed: Action = { kind: 'tool_call', call: { id: c.id, name: c.name, arguments: c.arguments }, ...text };
        const observation = results[k]?.content ?? '';
        timeline.push({ type: 'step', step: { index: stepIndex++, proposals: [{ attempt: 0, action: executed, latencyMs: 0 }], executed, flagged: false, observation, startedAt: at, endedAt: at } });
      });
    }
    i += calls.length;
  }
  const taskId = String(sim.task_id);
  const taskIndex = file.tasks.findIndex((t) => String(t.id) === taskId);
  const task = file.tasks[taskIndex];
  const reward = sim.reward_info?.reward;
  const outcome = OUTCOMES[sim.termination_reason];
  return {
    schemaVersion: TRACE_SCHEMA_VERSION,
    id: tau2EpisodeId(domain, sim.id),
    createdAt: at,
    updatedAt: at,
    meta: {
      environment: { family: 'tau2', domain },
      ...(taskIndex >= 0 ? { taskIndex } : {}),
      ...(sim.trial !== null && sim.trial !== undefined ? { trial: sim.trial } : {}),
      actor: file.info.agent_info.llm ?? file.info.agent_info.implementation,
      mode: 'off',
      maxRevisions: 0,
      failureRule: 'fail-open',
      userKind: 'simulated',
    },
    policy: file.info.environment_info.policy,
    timeline,
    status: outcome,
    endedAt: at,
    ...(reward !== undefined ? { reward } : {}),
    rewardDetails: {
      // The checks as the live τ³ environment keeps them (envs/tau2/reward-details.ts shows them per component).
      taskId,
      rewardBasis: sim.reward_info?.reward_basis ?? [],
      breakdown: sim.reward_info?.reward_breakdown ?? {},
      notJudged: false,
      dbMatch: sim.reward_info?.db_check?.db_match ?? null,
      actionChecks: (sim.reward_info?.action_checks ?? []).map((c) => ({ actionId: c.action.action_id, name: c.action.name, match: c.action_match })),
      communicateChecks: (sim.reward_info?.communicate_checks ?? []).map((c) => ({ info: c.info, met: c.met })),
      envAssertions: (sim.reward_info?.env_assertions ?? []).map((c) => ({ funcName: c.env_assertion.func_name, met: c.met })),
      nlAssertions: sim.reward_info?.nl_assertions ? sim.reward_info.nl_assertions.map((c) => c.met) : 'not needed',
      ...(sim.reward_info?.nl_assertions ? { nlJustifications: sim.reward_info.nl_assertions.map((c) => c.justification) } : {}),
      ...(userActions.length ? { userActions } : {}),
      terminationReason: sim.termination_reason,
      // The simulation and its task exactly as the file holds them.
      tau2: { simulation: raw, task: task ?? null },
    },
    ...(outcome === 'error' ? { error: `tau2 termination: ${sim.termination_reason}` } : {}),
  };
}

export interface ParsedTau2Results {
  domain: Tau2Domain;
  episodes: EpisodeTrace[];
}

/** A results file's parsed JSON → episodes; the first problem rejects all of it, naming the simulation and field. */
export function tau2ResultsToEpisodes(value: unknown, now: number = Date.now()): ParsedTau2Results {
  const f = Tau2ResultsFileSchema.safeParse(value);
  if (!f.success) {
    const issue = f.error.issues[0];
    throw new ValidationError('file', issue ? `${formatPath(issue.path)}: ${issue.message}` : 'not a tau2-bench results file');
  }
  const d = Tau2DomainSchema.safeParse(f.data.info.environment_info.domain_name);
  if (!d.success) throw new ValidationError('file', `info.environment_info.domain_name: "${f.data.info.environment_info.domain_name}" is not a τ³-bench domain Spotter has (${Tau2DomainSchema.options.join(', ')})`);
  if (f.data.simulations.length === 0) throw new ValidationError('file', 'no simulations in it');
  const episodes = f.data.simulations.map((raw, i) => {
    const s = SimulationSchema.safeParse(raw);
    const name = typeof raw === 'object' && raw !== null && 'id' in raw ? ` (${String(raw.id)})` : '';
    if (!s.success) {
      const issue = s.error.issues[0];
      throw new ValidationError(`simulation ${i}${name}`, issue ? `${formatPath(issue.path)}: ${issue.message}` : 'invalid');
    }
    try {
      return episodeOf(s.data, raw, d.data, f.data, now);
    } catch (err) {
      if (err instanceof SimError) throw new ValidationError(`simulation ${i}${name}`, `${formatPath(err.path)}: ${err.message}`);
      throw err;
    }
  });
  return { domain: d.data, episodes };
}

/** A results file's text → episodes. */
export function parseTau2Results(text: string, now?: number): ParsedTau2Results {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new ValidationError('file', `not valid JSON (${errorMessage(err)})`);
  }
  return tau2ResultsToEpisodes(value, now);
}

