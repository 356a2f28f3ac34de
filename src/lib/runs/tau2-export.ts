/**
 * Spotter's τ³ runs in tau2-bench's own shapes (a2c0247):
 *
 * - `tau2ResultsJson`: the results file `Results` (src/tau2/data_model/simulation.py)
 *   as `Results.save(path)` writes it: `info` (agent, user, environment), the
 *   `tasks` run (their tasks.json objects, unchanged), and one `SimulationRun`
 *   per episode with its `messages`, `termination_reason`, `trial`, `seed` and
 *   `reward_info` (checks, `reward_basis`, `reward_breakdown`), so tau2's own
 *   tools (`tau2 view`, `compute_metrics`, `prepare_submission`) read it.
 *   Numbers keep Python's int/float distinction (tool arguments replay as recorded).
 * - `tau2Submission`: a leaderboard `submission.json` (web/leaderboard/public/submissions/),
 *   pass^1..4 per domain in percent and the average agent cost, computed as
 *   `compute_metrics` does.
 *
 * An episode whose reward includes an NL assertion nobody judged has no reward
 * in tau2's model (`reward: float`): it is exported with `reward_info: null`
 * and `info.spotter.not_judged` (tau2's `compute_metrics` then reads its reward
 * as NaN, a failure, never a pass), and `tau2Submission` refuses the run.
 * tests/fixtures/tau2/check_export.py loads an export with the ORIGINAL pydantic
 * models and metrics (tau2-export.test.ts runs the recorded check).
 */
import { fromJs, PyFloat, dumps, type PyDict, type PyValue } from '../envs/tau-bench/py.ts';
import type { Tau2Message } from '../envs/tau2/environment.ts';
import type { Tau2Reward } from '../envs/tau2/evaluator.ts';
import type { Tau2Task } from '../envs/tau2/tasks.ts';
import type { Tau2ToolType } from '../envs/tau2/toolkit.ts';
import { ValidationError } from '../errors.ts';

/** tau2's TerminationReason values. */
export const TAU2_TERMINATION_REASONS = [
  'user_stop',
  'agent_stop',
  'max_steps',
  'timeout',
  'too_many_errors',
  'agent_error',
  'user_error',
  'infrastructure_error',
  'context_window_exceeded',
  'unexpected_error',
] as const;
export type Tau2TerminationReason = (typeof TAU2_TERMINATION_REASONS)[number];

/** The commit whose data, evaluator and result model Spotter's port follows. */
export const TAU2_GIT_COMMIT = 'a2c024725189473d2d7cea3a5cfdbcc67478e41f';

export interface Tau2SimulationInput {
  id: string;
  task: Tau2Task;
  trial: number;
  seed: number | null;
  /** Epoch ms. */
  startedAt: number;
  endedAt: number;
  terminationReason: Tau2TerminationReason;
  /** The whole conversation, as the evaluator saw it. */
  messages: Tau2Message[];
  /** The port's evaluation; null when the episode was not evaluated (it ended early, or failed). */
  reward: Tau2Reward | null;
  agentCost: number | null;
  userCost: number | null;
  /** Spotter's own facts about the episode (configuration, critic mode, revisions), kept under `info.spotter`. */
  spotter?: Record<string, unknown>;
}

export interface Tau2ParticipantInfo {
  implementation: string;
  llm: string | null;
  llmArgs: Record<string, unknown> | null;
}

export interface Tau2ResultsInput {
  domain: string;
  policy: string;
  numTrials: number;
  maxSteps: number;
  maxErrors: number;
  seed: number | null;
  agent: Tau2ParticipantInfo;
  user: Tau2ParticipantInfo;
  /** The run's tasks as their tasks.json objects (parsed with py.ts `parseJson`), in the run's order. */
  rawTasks: PyValue[];
  simulations: Tau2SimulationInput[];
  /** When the file is written (epoch ms). */
  now: number;
  /** A tool's type (read/write/...), for `ActionCheck.tool_type`; null where unknown. */
  toolType?: (name: string) => Tau2ToolType | null;
}

/** tau2's `get_now()` format, `YYYY-MM-DDTHH:MM:SS.ffffff` (local time there; UTC here). */
export function tau2Time(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000`;
}

const float = (x: number): PyFloat => new PyFloat(x);
const dict = (entries: Record<string, PyValue>): PyDict => new Map(Object.entries(entries));

function toolCallJson(c: { id: string; name: string; arguments: PyDict; requestor: string }): PyDict {
  return dict({ id: c.id, name: c.name, arguments: c.arguments, requestor: c.requestor });
}

/** The messages as tau2's Message models dump them (turn_idx and timestamps added; other fields at their defaults). */
export function tau2MessagesJson(messages: readonly Tau2Message[], startedAt: number): PyValue[] {
  return messages.map((m, i): PyDict => {
    const timestamp = tau2Time(startedAt + i);
    if (m.role === 'tool') {
      return dict({ id: m.id, role: 'tool', content: m.content, requestor: m.requestor, error: m.error, turn_idx: i, timestamp });
    }
    return dict({ role: m.role, content: m.content, tool_calls: m.toolCalls === null ? null : m.toolCalls.map(toolCallJson), turn_idx: i, timestamp });
  });
}

/** CommunicateEvaluator's justification: the first assistant text that carries the info, quoted. */
function communicateJustification(info: string, met: boolean, messages: readonly Tau2Message[]): string {
  if (!met) return `Information '${info}' not communicated.`;
  const m = messages.find(
    (x) => x.role === 'assistant' && x.content !== null && x.content.trim() !== '' && x.content.toLowerCase().replaceAll(',', '').includes(info.toLowerCase()),
  );
  return `Information '${info}' communicated in the message:\n '${m?.content ?? ''}'`;
}

const ENDED_BY_ITSELF: ReadonlySet<Tau2TerminationReason> = new Set(['agent_stop', 'user_stop']);

/**
 * `evaluate_simulation(EvaluationType.ALL)`'s RewardInfo from the port's evaluation; null when the
 * reward is unknown (not evaluated, or an NL assertion not judged).
 */
export function tau2RewardInfo(sim: Tau2SimulationInput, toolType?: (name: string) => Tau2ToolType | null): PyDict | null {
  if (!ENDED_BY_ITSELF.has(sim.terminationReason)) {
    return dict({ reward: float(0), reward_basis: null, info: dict({ note: `Simulation terminated prematurely. Termination reason: ${sim.terminationReason}` }) });
  }
  const c = sim.task.criteria;
  if (c === null) return dict({ reward: float(1), reward_basis: null, info: dict({ note: 'No evaluation criteria' }) });
  const r = sim.reward;
  if (r === null || r.reward === null) return null;
  const basis = new Set(c.rewardBasis);
  const envChecked = !(c.actions === null && c.envAssertions === null);
  const breakdown: PyDict = new Map();
  for (const [k, v] of Object.entries(r.breakdown)) if (typeof v === 'number') breakdown.set(k, float(v));
  const actions = c.actions ?? [];
  return dict({
    reward: float(r.reward),
    db_check: envChecked ? dict({ db_match: r.dbMatch === true, db_reward: float(r.dbMatch === true ? 1 : 0) }) : dict({ db_match: true, db_reward: float(1) }),
    env_assertions: envChecked
      ? (c.envAssertions ?? []).map((a, i) => {
          const met = r.envAssertions[i]?.met ?? false;
          return dict({
            env_assertion: dict({ env_type: a.envType, func_name: a.funcName, arguments: a.arguments, assert_value: a.assertValue, message: a.message }),
            met,
            reward: float(met ? 1 : 0),
          });
        })
      : null,
    action_checks:
      actions.length > 0
        ? actions.map((a, i) => {
            const match = r.actionChecks[i]?.match ?? false;
            return dict({
              action: dict({ action_id: a.actionId, requestor: a.requestor, name: a.name, arguments: a.arguments, info: null, compare_args: a.compareArgs }),
              action_match: match,
              action_reward: float(match ? 1 : 0),
              tool_type: toolType?.(a.name) ?? null,
            });
          })
        : null,
    nl_assertions: basis.has('NL_ASSERTION')
      ? typeof r.nl === 'object'
        ? r.nl.checks.map((x) => dict({ nl_assertion: x.nlAssertion, met: x.met, justification: x.justification }))
        : []
      : null,
    communicate_checks: c.communicateInfo.length > 0 ? r.communicateChecks.map((x) => dict({ info: x.info, met: x.met, justification: communicateJustification(x.info, x.met, sim.messages) })) : null,
    reward_basis: [...c.rewardBasis],
    reward_breakdown: breakdown,
    info: null,
  });
}

function simulationJson(sim: Tau2SimulationInput, toolType?: (name: string) => Tau2ToolType | null): PyDict {
  const rewardInfo = tau2RewardInfo(sim, toolType);
  const notJudged = rewardInfo === null && sim.reward?.reward === null;
  const extra = fromJs(sim.spotter ?? {});
  const spotter: PyDict = extra instanceof Map ? new Map(extra) : new Map();
  if (notJudged) {
    spotter.set('not_judged', true);
    spotter.set('reward_breakdown', fromJs(sim.reward?.breakdown ?? {}));
  }
  return dict({
    id: sim.id,
    task_id: sim.task.id,
    timestamp: tau2Time(sim.startedAt),
    start_time: tau2Time(sim.startedAt),
    end_time: tau2Time(sim.endedAt),
    duration: float((sim.endedAt - sim.startedAt) / 1000),
    termination_reason: sim.terminationReason,
    agent_cost: sim.agentCost === null ? null : float(sim.agentCost),
    user_cost: sim.userCost === null ? null : float(sim.userCost),
    reward_info: rewardInfo,
    messages: tau2MessagesJson(sim.messages, sim.startedAt),
    trial: sim.trial,
    seed: sim.seed,
    mode: 'half_duplex',
    info: spotter.size > 0 ? dict({ spotter }) : null,
  });
}

/** The run as tau2's `Results`, a PyValue ready for `dumps`. */
export function tau2Results(input: Tau2ResultsInput): PyDict {
  const participant = (p: Tau2ParticipantInfo): PyDict => dict({ implementation: p.implementation, llm: p.llm, llm_args: p.llmArgs === null ? null : fromJs(p.llmArgs) });
  return dict({
    timestamp: tau2Time(input.now),
    info: dict({
      git_commit: TAU2_GIT_COMMIT,
      num_trials: input.numTrials,
      max_steps: input.maxSteps,
      max_errors: input.maxErrors,
      user_info: participant(input.user),
      agent_info: participant(input.agent),
      environment_info: dict({ domain_name: input.domain, policy: input.policy, tool_defs: null }),
      seed: input.seed,
    }),
    tasks: input.rawTasks,
    simulations: input.simulations.map((s) => simulationJson(s, input.toolType)),
  });
}

/** The results file's text, as `Results.save` writes it (two-space indent). */
export function tau2ResultsJson(input: Tau2ResultsInput): string {
  return dumps(tau2Results(input), 2);
}

// ---------------------------------------------------------------- leaderboard submission

/** tau2's `is_successful`: a reward within 1e-6 of 1. */
export const isTau2Success = (reward: number): boolean => 1 - 1e-6 <= reward && reward <= 1 + 1e-6;

function comb(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

export interface Tau2DomainMetrics {
  /** pass^k for k = 1..max k (the fewest trials any task has), as fractions. */
  passHatKs: Record<number, number>;
  avgReward: number;
  /** The mean agent cost over simulations that have one (NaN in tau2 when none has). */
  avgAgentCost: number | null;
  simulations: number;
  tasks: number;
}

export interface Tau2RunOutcome {
  taskId: string;
  reward: number | null;
  terminationReason: Tau2TerminationReason;
  agentCost: number | null;
}

/**
 * `compute_metrics`'s pass^k and cost: infrastructure errors left out; per task,
 * comb(successes, k) / comb(trials, k), averaged over tasks.
 */
export function tau2DomainMetrics(outcomes: readonly Tau2RunOutcome[], where = 'run'): Tau2DomainMetrics {
  const kept = outcomes.filter((o) => o.terminationReason !== 'infrastructure_error');
  const unjudged = kept.filter((o) => o.reward === null);
  if (unjudged.length > 0) {
    throw new ValidationError(where, `${unjudged.length} episode(s) have no reward (an NL assertion not judged, or not evaluated), e.g. task ${unjudged[0]?.taskId}: set an NL judge and re-evaluate them first`);
  }
  const byTask = new Map<string, boolean[]>();
  let rewardSum = 0;
  for (const o of kept) {
    const reward = o.reward ?? 0;
    rewardSum += reward;
    const list = byTask.get(o.taskId) ?? [];
    list.push(isTau2Success(reward));
    byTask.set(o.taskId, list);
  }
  const maxK = byTask.size === 0 ? 0 : Math.min(...[...byTask.values()].map((l) => l.length));
  const passHatKs: Record<number, number> = {};
  for (let k = 1; k <= maxK; k++) {
    let sum = 0;
    for (const l of byTask.values()) sum += comb(l.filter(Boolean).length, k) / comb(l.length, k);
    passHatKs[k] = sum / byTask.size;
  }
  const costs = kept.map((o) => o.agentCost).filter((c): c is number => c !== null);
  return {
    passHatKs,
    avgReward: kept.length ? rewardSum / kept.length : 0,
    avgAgentCost: costs.length ? costs.reduce((a, b) => a + b, 0) / costs.length : null,
    simulations: kept.length,
    tasks: byTask.size,
  };
}

export interface Tau2SubmissionInput {
  modelName: string;
  modelOrganization: string;
  submittingOrganization: string;
  /** YYYY-MM-DD. */
  submissionDate: string;
  contact: { email?: string; name?: string; github?: string };
  /** Per domain (airline, retail, telecom): its episodes, and the results file it was exported to. */
  domains: Partial<Record<'airline' | 'retail' | 'telecom', { outcomes: Tau2RunOutcome[]; trajectoryFile?: string }>>;
  userSimulator: string | null;
  notes: string;
  /** 'custom' whenever a critic took part: the scaffold is no longer tau2's own. */
  submissionType: 'standard' | 'custom';
}

/** A leaderboard submission.json (the `Submission` model of src/tau2/scripts/leaderboard/submission.py). */
export function tau2Submission(input: Tau2SubmissionInput): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  const files: Record<string, string> = {};
  for (const [domain, d] of Object.entries(input.domains)) {
    const m = tau2DomainMetrics(d.outcomes, domain);
    const pct = (k: number): number | null => (m.passHatKs[k] === undefined ? null : m.passHatKs[k] * 100);
    results[domain] = { pass_1: pct(1), pass_2: pct(2), pass_3: pct(3), pass_4: pct(4), cost: m.avgAgentCost };
    if (d.trajectoryFile) files[domain] = d.trajectoryFile;
  }
  return {
    model_name: input.modelName,
    model_organization: input.modelOrganization,
    submitting_organization: input.submittingOrganization,
    submission_date: input.submissionDate,
    submission_type: input.submissionType,
    modality: 'text',
    contact_info: input.contact,
    is_new: false,
    trajectories_available: Object.keys(files).length > 0,
    ...(Object.keys(files).length ? { trajectory_files: files } : {}),
    results,
    methodology: {
      evaluation_date: input.submissionDate,
      tau2_bench_version: TAU2_GIT_COMMIT.slice(0, 7),
      user_simulator: input.userSimulator,
      notes: input.notes,
      verification: { modified_prompts: input.submissionType === 'custom', omitted_questions: false, details: 'Run with Spotter (a TypeScript port of tau2-bench a2c0247).' },
    },
  };
}
