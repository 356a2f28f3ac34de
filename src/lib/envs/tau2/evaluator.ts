/**
 * tau2's evaluator (src/tau2/evaluator): the reward is the product over the
 * task's reward_basis of DB (gold vs predicted DB hashes), ENV_ASSERTION,
 * ACTION, COMMUNICATE and NL_ASSERTION, combined as `evaluate_simulation`
 * does for EvaluationType.ALL. NL_ASSERTION needs an LLM judge: without one
 * a task whose basis includes it gets `reward: null` ("not judged"), never a pass.
 */
import type { PyDict } from '../tau-bench/py.ts';
import { PyException, pyEq } from '../tau-bench/pyops.ts';
import type { Tau2Environment, Tau2Message, Tau2ToolCall } from './environment.ts';
import type { RewardType, Tau2Action, Tau2Task } from './tasks.ts';

/** tau2's NLAssertionCheck: `nlAssertion` is the judge's restatement of the assertion, as the original records it. */
export interface NlAssertionCheck {
  nlAssertion: string;
  met: boolean;
  justification: string;
}
export interface NlJudgement {
  /** One per assertion, in order. */
  checks: NlAssertionCheck[];
}
/** Judges NL assertions over a trajectory (nl-judge.ts: the original's LLM judge with its prompt); null = no judge configured. */
export type NlJudge = (assertions: string[], trajectory: Tau2Message[], signal?: AbortSignal) => Promise<NlJudgement>;

export type RewardBreakdown = Partial<Record<RewardType, number | null>>;
export interface Tau2Reward {
  /** null when NL_ASSERTION is in the basis and no judge ran: "not judged". */
  reward: number | null;
  breakdown: RewardBreakdown;
  dbMatch: boolean | null;
  goldDbHash: string | null;
  predictedDbHash: string | null;
  actionChecks: Array<{ actionId: string; name: string; match: boolean }>;
  communicateChecks: Array<{ info: string; met: boolean }>;
  envAssertions: Array<{ funcName: string; met: boolean }>;
  nl: 'not judged' | 'not needed' | NlJudgement;
  note?: string;
}

/** `Action.compare_with_tool_call`. */
export function actionMatches(action: Tau2Action, call: Tau2ToolCall): boolean {
  if (action.name !== call.name) return false;
  const keys = action.compareArgs ?? [...call.arguments.keys()];
  if (keys.length === 0) return true;
  const pick = (d: PyDict): PyDict => new Map([...d].filter(([k]) => keys.includes(k)));
  return pyEq(pick(call.arguments), pick(action.arguments));
}

function toolCalls(trajectory: Tau2Message[]): Tau2ToolCall[] {
  return trajectory.flatMap((m) => (m.role !== 'tool' && m.toolCalls !== null ? m.toolCalls : []));
}

/** Gold hashes depend only on the task and the initial DB, so they are computed once per environment factory. */
const goldMemo = new WeakMap<() => Tau2Environment, Map<string, Promise<[string, string | null]>>>();

function goldHashes(task: Tau2Task, makeEnv: () => Tau2Environment): Promise<[string, string | null]> {
  let memo = goldMemo.get(makeEnv);
  if (memo === undefined) {
    memo = new Map();
    goldMemo.set(makeEnv, memo);
  }
  const hit = memo.get(task.id);
  if (hit !== undefined) return hit;
  const gold = makeEnv();
  gold.setState(task.initializationActions, []);
  for (const a of task.criteria?.actions ?? []) {
    try {
      gold.makeToolCall(a.name, a.requestor, a.arguments);
    } catch (e) {
      if (!(e instanceof PyException)) throw e; // the original logs and goes on
    }
  }
  const result = Promise.all([gold.dbHash(), gold.userDbHash()]);
  memo.set(task.id, result);
  return result;
}

export interface EvaluateOptions {
  /** A fresh environment at the domain's initial DB. */
  makeEnv: () => Tau2Environment;
  judge?: NlJudge | null;
  signal?: AbortSignal;
}

export async function evaluate(task: Tau2Task, trajectory: Tau2Message[], opts: EvaluateOptions): Promise<Tau2Reward> {
  const base: Tau2Reward = {
    reward: 1,
    breakdown: {},
    dbMatch: null,
    goldDbHash: null,
    predictedDbHash: null,
    actionChecks: [],
    communicateChecks: [],
    envAssertions: [],
    nl: 'not needed',
  };
  const c = task.criteria;
  if (c === null) return { ...base, note: 'No evaluation criteria' };
  const basis = new Set(c.rewardBasis);

  // EnvironmentEvaluator
  let envReward = 1;
  const envBreakdown: RewardBreakdown = {};
  let envHasBreakdown = false;
  if (c.actions === null && c.envAssertions === null) {
    base.dbMatch = true;
  } else {
    const predicted = opts.makeEnv();
    predicted.setState(task.initializationActions, trajectory);
    const [g, gu] = await goldHashes(task, opts.makeEnv);
    const [p, pu] = await Promise.all([predicted.dbHash(), predicted.userDbHash()]);
    base.goldDbHash = g;
    base.predictedDbHash = p;
    base.dbMatch = g === p && gu === pu;
    const dbReward = base.dbMatch ? 1 : 0;
    let assertionReward = 1;
    for (const a of c.envAssertions ?? []) {
      let met = false;
      try {
        met = predicted.runEnvAssertion(a);
      } catch (e) {
        if (!(e instanceof PyException)) throw e;
      }
      base.envAssertions.push({ funcName: a.funcName, met });
      if (!met) assertionReward = 0;
    }
    envHasBreakdown = true;
    if (basis.has('DB')) {
      envBreakdown.DB = dbReward;
      envReward *= dbReward;
    }
    if (basis.has('ENV_ASSERTION')) {
      envBreakdown.ENV_ASSERTION = assertionReward;
      envReward *= assertionReward;
    }
  }

  // ActionEvaluator
  const calls = toolCalls(trajectory);
  base.actionChecks = (c.actions ?? []).map((a) => ({ actionId: a.actionId, name: a.name, match: calls.some((tc) => actionMatches(a, tc)) }));
  const actionReward = base.actionChecks.every((x) => x.match) ? 1 : 0;

  // CommunicateEvaluator
  base.communicateChecks = c.communicateInfo.map((info) => ({
    info,
    met: trajectory.some(
      (m) => m.role === 'assistant' && m.content !== null && m.content.trim() !== '' && m.content.toLowerCase().replaceAll(',', '').includes(info.toLowerCase()),
    ),
  }));
  const communicateReward = base.communicateChecks.every((x) => x.met) ? 1 : 0;

  // NLAssertionsEvaluator
  let nlReward: number | null = null;
  if (basis.has('NL_ASSERTION')) {
    if (c.nlAssertions.length === 0) nlReward = 1;
    else if (opts.judge) {
      const j = await opts.judge(c.nlAssertions, trajectory, opts.signal);
      if (j.checks.length !== c.nlAssertions.length) throw new Error(`The NL judge graded ${j.checks.length} of task ${task.id}'s ${c.nlAssertions.length} assertions`);
      base.nl = j;
      nlReward = j.checks.every((x) => x.met) ? 1 : 0;
    } else base.nl = 'not judged';
  }

  let reward: number | null = 1;
  const breakdown: RewardBreakdown = {};
  if (basis.has('DB') || basis.has('ENV_ASSERTION')) {
    if (envHasBreakdown) Object.assign(breakdown, envBreakdown);
    reward *= envReward;
  }
  if (basis.has('ACTION')) {
    breakdown.ACTION = actionReward;
    reward *= actionReward;
  }
  if (basis.has('NL_ASSERTION')) {
    breakdown.NL_ASSERTION = nlReward;
    reward = nlReward === null ? null : reward * nlReward;
  }
  if (basis.has('COMMUNICATE')) {
    breakdown.COMMUNICATE = communicateReward;
    if (reward !== null) reward *= communicateReward;
  }
  return { ...base, reward, breakdown };
}
