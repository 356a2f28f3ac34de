/**
 * A τ³ run's configuration as tau2-bench's results file (tau2-export.ts): each
 * finished episode's conversation rebuilt from its trace in tau2's message
 * order (the orchestrator's greeting; the user's own tool calls, telecom,
 * before that turn's message; each agent tool call with its result), with the
 * verdict the run's evaluator stored with it. With `regrade` (the CLI), or for
 * an episode stored without a whole verdict, the conversation is graded again
 * by the port's evaluator with the verdicts the NL judge gave in the run, and
 * checked against the reward the run recorded: an episode whose rebuilt
 * conversation grades differently is an error naming it, never a silent
 * mismatch. Episodes whose trace is gone are left out.
 */
import { z } from 'zod';
import { fromJs, isDict, type PyDict } from '../envs/tau-bench/py.ts';
import { tau2Split } from '../envs/environment.ts';
import { AGENT_STOP_TOKEN } from '../envs/tau2/env.ts';
import type { Tau2Message } from '../envs/tau2/environment.ts';
import { evaluate, type NlJudge, type Tau2Reward } from '../envs/tau2/evaluator.ts';
import { RewardType, type Tau2Task } from '../envs/tau2/tasks.ts';
import { tau2TaskOf, type Tau2Pack } from '../envs/tau2/pack.ts';
import type { Tau2PackLoader } from './tau2-factories.ts';
import { FIRST_AGENT_MESSAGE } from '../envs/tau2/orchestrator.ts';
import { isUserStop } from '../envs/tau2/user.ts';
import { ValidationError } from '../errors.ts';
import { costOf, type PriceTable } from '../pricing.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import { planSlots } from './plan.ts';
import type { RunRecord, SlotResult } from './record.ts';
import { tau2ResultsJson, tau2Submission, type Tau2ResultsInput, type Tau2RunOutcome, type Tau2SimulationInput, type Tau2TerminationReason } from './tau2-export.ts';

/** What the τ³ Env keeps in its reward details that the export reads back (envs/tau2/env.ts `rewardDetails`). */
const DetailsSchema = z.looseObject({
  nlAssertions: z.union([z.literal('not judged'), z.literal('not needed'), z.array(z.boolean())]).optional(),
  nlJustifications: z.array(z.string()).optional(),
  userActions: z.array(z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()), content: z.string(), error: z.boolean(), turn: z.number().int() })).optional(),
});

/** The evaluator's verdict as the episode stored it (a record keeps the breakdown's order, which the file shows). */
const StoredRewardSchema = z.object({
  taskId: z.string(),
  breakdown: z.partialRecord(RewardType, z.number().nullable()),
  dbMatch: z.boolean().nullable(),
  actionChecks: z.array(z.object({ actionId: z.string(), name: z.string(), match: z.boolean() })),
  communicateChecks: z.array(z.object({ info: z.string(), met: z.boolean() })),
  envAssertions: z.array(z.object({ funcName: z.string(), met: z.boolean() })),
  nlAssertions: z.union([z.literal('not judged'), z.literal('not needed'), z.array(z.boolean())]),
  nlJustifications: z.array(z.string()).optional(),
  note: z.string().optional(),
});

/** The judge's recorded verdicts on the task's assertions, in order (a missing one is unmet). */
function nlChecks(assertions: readonly string[], met: readonly boolean[], why: readonly string[]): Array<{ nlAssertion: string; met: boolean; justification: string }> {
  return assertions.map((a, i) => ({ nlAssertion: a, met: met[i] ?? false, justification: why[i] ?? '' }));
}

/**
 * The reward the run's evaluator gave the episode, from its stored details, when they are whole and agree with
 * the recorded reward (the product of the breakdown; null when a component was not judged); else undefined.
 */
function storedReward(task: Tau2Task, trace: EpisodeTrace, recorded: number | null): Tau2Reward | undefined {
  const d = StoredRewardSchema.safeParse(trace.rewardDetails);
  if (!d.success || d.data.taskId !== task.id) return undefined;
  const s = d.data;
  const parts = Object.values(s.breakdown);
  const product = parts.some((v) => v === null) ? null : parts.reduce<number>((a, v) => a * (v ?? 1), 1);
  if (product !== recorded) return undefined;
  const assertions = task.criteria?.nlAssertions ?? [];
  const met = s.nlAssertions;
  if (Array.isArray(met) && met.length !== assertions.length) return undefined;
  const why = s.nlJustifications ?? [];
  return {
    reward: recorded,
    breakdown: s.breakdown,
    dbMatch: s.dbMatch,
    goldDbHash: null,
    predictedDbHash: null,
    actionChecks: s.actionChecks,
    communicateChecks: s.communicateChecks,
    envAssertions: s.envAssertions,
    nl: Array.isArray(met) ? { checks: nlChecks(assertions, met, why) } : met,
    ...(s.note !== undefined ? { note: s.note } : {}),
  };
}

function pyArgs(args: Record<string, unknown>): PyDict {
  const v = fromJs(args);
  return isDict(v) ? v : new Map();
}

/** The episode's conversation in tau2's message order, from its trace and the user's tool calls in its reward details. */
export function tau2Trajectory(trace: EpisodeTrace): Tau2Message[] {
  const details = DetailsSchema.safeParse(trace.rewardDetails ?? {});
  const userActions = details.success ? (details.data.userActions ?? []) : [];
  const out: Tau2Message[] = [{ role: 'assistant', content: FIRST_AGENT_MESSAGE, toolCalls: null }];
  let userTurn = 0;
  let agentStopped = false;
  let userCall = 0;
  for (const entry of trace.timeline) {
    if (entry.type === 'user') {
      // The loop records a closing line when the agent stopped; the user simulator never said it.
      if (agentStopped) continue;
      for (const a of userActions.filter((x) => x.turn === userTurn)) {
        const id = `user_call_${userCall++}`;
        out.push({ role: 'user', content: null, toolCalls: [{ id, name: a.name, arguments: pyArgs(a.arguments), requestor: 'user' }] });
        out.push({ role: 'tool', id, content: a.content, requestor: 'user', error: a.error });
      }
      out.push({ role: 'user', content: entry.content, toolCalls: null });
      userTurn++;
      continue;
    }
    if (entry.type !== 'step') continue;
    const action = entry.step.executed;
    if (action.kind === 'tool_call') {
      const id = action.call.id;
      out.push({ role: 'assistant', content: action.content ?? null, toolCalls: [{ id, name: action.call.name, arguments: pyArgs(action.call.arguments), requestor: 'assistant' }] });
      const observation = entry.step.observation ?? '';
      out.push({ role: 'tool', id, content: observation, requestor: 'assistant', error: observation.startsWith('Error: ') });
    } else {
      out.push({ role: 'assistant', content: action.content, toolCalls: null });
      if (action.content.includes(AGENT_STOP_TOKEN)) agentStopped = true;
    }
  }
  return out;
}

/** How the episode ended, in tau2's terms. A Spotter error (a provider failing) is tau2's infrastructure error. */
export function tau2Termination(result: SlotResult, messages: readonly Tau2Message[]): Tau2TerminationReason {
  if (result.outcome === 'error') return 'infrastructure_error';
  if (result.outcome === 'max_steps') return 'max_steps';
  const lastText = [...messages].reverse().find((m) => m.role !== 'tool' && m.content !== null);
  if (lastText?.role === 'assistant' && lastText.content?.includes(AGENT_STOP_TOKEN)) return 'agent_stop';
  if (lastText?.role === 'user' && lastText.content !== null && isUserStop(lastText.content)) return 'user_stop';
  return 'agent_stop';
}

/** The judge's verdicts as the run recorded them, replayed. */
function recordedJudge(trace: EpisodeTrace): NlJudge | null {
  const d = DetailsSchema.safeParse(trace.rewardDetails ?? {});
  const met = d.success ? d.data.nlAssertions : undefined;
  if (!Array.isArray(met)) return null;
  const why = d.success ? (d.data.nlJustifications ?? []) : [];
  return (assertions) => Promise.resolve({ checks: nlChecks(assertions, met, why) });
}

export interface Tau2RunExportOptions {
  /** The run's domain, as loaded for the run (its `rawTasks` go into the file's `tasks`). */
  pack: Tau2Pack;
  prices: PriceTable;
  now: number;
  /**
   * Grade every episode again from its rebuilt conversation and insist on the recorded reward (the CLI does;
   * airline's 7 MB database makes each grading hundreds of ms). Otherwise the stored verdict is used when
   * whole and consistent, and only an episode without one is graded again.
   */
  regrade?: boolean;
}

/** One configuration of a τ³ run as tau2's results; throws naming the episode whose rebuilt conversation grades differently. */
export async function tau2RunResults(
  record: RunRecord,
  configIndex: number,
  traceOf: (episodeId: string) => EpisodeTrace | undefined,
  opts: Tau2RunExportOptions,
): Promise<Tau2ResultsInput> {
  const { spec } = record;
  const split = tau2Split(spec.split);
  const config = spec.configurations[configIndex];
  const sims: Tau2SimulationInput[] = [];
  const taskIds: string[] = [];
  for (const slot of planSlots(spec)) {
    const r = slot.configIndex === configIndex ? record.results[slot.key] : undefined;
    const trace = r ? traceOf(r.episodeId) : undefined;
    if (!r || !trace) continue;
    const task = tau2TaskOf(opts.pack, split, r.taskIndex);
    if (!taskIds.includes(task.id)) taskIds.push(task.id);
    const messages = tau2Trajectory(trace);
    const terminationReason = tau2Termination(r, messages);
    let reward: Tau2Reward | null = null;
    if (terminationReason === 'agent_stop' || terminationReason === 'user_stop') {
      const recorded = r.notJudged ? null : r.reward;
      reward = (opts.regrade ? undefined : storedReward(task, trace, recorded)) ?? (await evaluate(task, messages, { makeEnv: opts.pack.makeEnv, judge: recordedJudge(trace) }));
      if (reward.reward !== recorded) {
        throw new ValidationError(`episode ${r.episodeId}`, `its conversation, rebuilt for tau2, grades ${String(reward.reward)} but the run recorded ${String(recorded)}`);
      }
    }
    const actorUsage = r.usage.filter((u) => u.role === 'actor');
    const userUsage = r.usage.filter((u) => u.role === 'user');
    sims.push({
      id: r.episodeId,
      task,
      trial: r.trial,
      seed: null,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      terminationReason,
      messages,
      reward,
      agentCost: costOf(actorUsage, opts.prices).usd ?? null,
      userCost: costOf(userUsage, opts.prices).usd ?? null,
      spotter: {
        run_id: spec.id,
        configuration: config?.label ?? null,
        mode: config?.mode ?? null,
        critic: config && config.mode !== 'off' ? (config.critic?.model ?? null) : null,
        revisions: r.revisions,
        flagged: r.flagged,
        outcome: r.outcome,
        ...(r.error ? { error: r.error } : {}),
      },
    });
  }
  const rawById = new Map(opts.pack.rawTasks.flatMap((t) => (isDict(t) && typeof t.get('id') === 'string' ? [[String(t.get('id')), t] as const] : [])));
  const rawTasks = taskIds.map((id) => {
    const raw = rawById.get(id);
    if (raw === undefined) throw new ValidationError(`${opts.pack.domain} tasks`, `task ${id} is not among the tasks given for the file`);
    return raw;
  });
  const env = opts.pack.makeEnv();
  return {
    domain: opts.pack.domain,
    policy: opts.pack.domainPolicy,
    numTrials: spec.trials,
    maxSteps: spec.maxSteps,
    maxErrors: 10,
    seed: null,
    agent: { implementation: config && config.mode !== 'off' ? `spotter_actor_critic_${config.mode}` : 'spotter_actor', llm: spec.actor.model, llmArgs: { temperature: spec.temperature } },
    user: { implementation: 'user_simulator', llm: spec.user.model, llmArgs: spec.userTemperature === undefined ? null : { temperature: spec.userTemperature } },
    rawTasks,
    simulations: sims,
    now: opts.now,
    toolType: (name) => (env.tools.get(name) ?? env.userTools?.get(name))?.type ?? null,
  };
}

export interface Tau2RunFiles {
  /** tau2's results JSON. */
  results: string;
  /** A leaderboard submission.json for this domain; undefined (with the reason) when some episode has no reward. */
  submission: string | undefined;
  submissionProblem: string | undefined;
}

/**
 * One configuration of a τ³ run as tau2's files: the results JSON and a leaderboard submission.json.
 * `loadPack`: the run's domain as the run loaded it (the app's pack worker cache, the CLI's), not a second load.
 */
export async function tau2RunFiles(
  record: RunRecord,
  configIndex: number,
  traceOf: (episodeId: string) => EpisodeTrace | undefined,
  loadPack: Tau2PackLoader,
  prices: PriceTable,
  resultsFileName: string,
  opts: Pick<Tau2RunExportOptions, 'regrade'> = {},
): Promise<Tau2RunFiles> {
  const environment = record.spec.environment;
  if (environment.family !== 'tau2') throw new ValidationError('run', `${environment.family} is not τ³-bench`);
  const pack = await loadPack(environment.domain);
  const input = await tau2RunResults(record, configIndex, traceOf, { pack, prices, now: Date.now(), ...opts });
  const config = record.spec.configurations[configIndex];
  const outcomes: Tau2RunOutcome[] = input.simulations.map((s) => ({
    taskId: s.task.id,
    reward: s.terminationReason === 'agent_stop' || s.terminationReason === 'user_stop' ? (s.reward?.reward ?? null) : 0,
    terminationReason: s.terminationReason,
    agentCost: s.agentCost,
  }));
  try {
    const critic = config && config.mode !== 'off' ? config.critic?.model : undefined;
    const submission = tau2Submission({
      modelName: critic ? `${record.spec.actor.model} + critic ${critic} (${config?.mode ?? ''})` : record.spec.actor.model,
      modelOrganization: 'unknown',
      submittingOrganization: 'unknown',
      submissionDate: new Date().toISOString().slice(0, 10),
      contact: {},
      domains: { [environment.domain]: { outcomes, trajectoryFile: resultsFileName } },
      userSimulator: record.spec.user.model,
      notes: `Spotter run ${record.spec.id}, configuration "${config?.label ?? ''}" (${config?.mode ?? ''}); ${record.spec.trials} trials; split ${record.spec.split}.`,
      // A critic in the loop changes the agent's scaffold: not tau2's standard one.
      submissionType: config?.mode === 'off' ? 'standard' : 'custom',
    });
    return { results: tau2ResultsJson(input), submission: `${JSON.stringify(submission, null, 2)}\n`, submissionProblem: undefined };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { results: tau2ResultsJson(input), submission: undefined, submissionProblem: err.message };
  }
}
