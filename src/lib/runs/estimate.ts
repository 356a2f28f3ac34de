/**
 * What a sweep will cost before anything is sent (`--dry-run`): calls and
 * tokens per role for its units, priced with the price table. Per episode it
 * uses either a pilot run's measured means (`--estimate-from`, a state file
 * or merged record: actor and critic calls, every role's tokens) or the
 * default profile below.
 *
 * Default profile, tau-bench: from tau-bench's own 200 GPT-4o airline
 * episodes (../shared/tau-bench/historical/gpt-4o-airline.json), counting
 * 4 characters a token: 12 actor calls an episode, 6,200 prompt tokens each
 * (policy, tool schemas and the conversation so far) and 85 completion
 * tokens; 6 simulated-user calls of 740 and 36. The critic judges every
 * proposal: 4,700 prompt tokens a verdict (the median critic prompt over
 * real-length tau-bench episodes, README bench table) and 60 completion
 * tokens. UserBench's profile is a coarser guess (20 turns at most, each an
 * actor call, a user call and a judge call): prefer a pilot run there.
 *
 * τ³ runs with an NL-assertion judge (`nlJudge`) add one judge call per
 * episode of a task whose reward basis has NL_ASSERTION and that has
 * assertions (evaluator.ts calls the judge once there, nowhere else). Its
 * tokens a call: a pilot's measured mean over the episodes it judged, else the
 * judge's own prompts for that task's assertions (nl-judge.ts, 4 characters a
 * token) plus DEFAULT_JUDGE's conversation and a graded result per assertion.
 */
import { costOf, formatUsd, type CostSummary, type PriceTable } from '../pricing.ts';
import { runsOnDevice, type ModelSpec } from '../setup/specs.ts';
import type { UsageEntry } from '../usage.ts';
import type { BenchFamily } from '../envs/bench-environment.ts';
import { tau2Split, type BenchSplit } from '../envs/environment.ts';
import { NL_JUDGE_SYSTEM_PROMPT, nlJudgeUserPrompt } from '../envs/tau2/nl-judge.ts';
import { splitTasks, type Tau2Pack } from '../envs/tau2/pack.ts';
import type { RunSpec } from './plan.ts';
import type { RunRecord } from './record.ts';
import { formatShard, type Shard } from './shard.ts';
import type { WorkUnit } from './units.ts';

type Role = UsageEntry['role'];

/** Per episode: calls of a role, and tokens per call. */
interface RoleProfile {
  calls: number;
  promptPerCall: number;
  completionPerCall: number;
}

interface EpisodeProfile {
  actor: RoleProfile;
  user: RoleProfile;
  /** Per critic verdict; one verdict per actor call when a critic judges. */
  critic: Omit<RoleProfile, 'calls'>;
}

export const DEFAULT_PROFILES: Record<BenchFamily, EpisodeProfile> = {
  'tau-bench': {
    actor: { calls: 12, promptPerCall: 6_200, completionPerCall: 85 },
    user: { calls: 6, promptPerCall: 740, completionPerCall: 36 },
    critic: { promptPerCall: 4_700, completionPerCall: 60 },
  },
  // τ³: tau-bench's shape with longer policies (telecom's policy and manual are about 6k tokens, its tools 2k).
  tau2: {
    actor: { calls: 14, promptPerCall: 8_000, completionPerCall: 85 },
    user: { calls: 8, promptPerCall: 1_400, completionPerCall: 40 },
    critic: { promptPerCall: 6_500, completionPerCall: 60 },
  },
  userbench: {
    actor: { calls: 12, promptPerCall: 3_000, completionPerCall: 80 },
    user: { calls: 24, promptPerCall: 1_500, completionPerCall: 60 },
    critic: { promptPerCall: 3_500, completionPerCall: 60 },
  },
};

/**
 * τ³'s NL judge a call, where no pilot measured it, beyond its prompts' own text: the conversation it reads
 * (a τ³ episode's messages and tool results, about the actor's last prompt less the policy and tools) and,
 * a reply, one graded result (outcome restated, reasoning, verdict) per assertion.
 */
export const DEFAULT_JUDGE = { conversationTokens: 3_000, completionPerAssertion: 60 };

/** τ³: the NL assertions the judge grades in the task at an index of the run's split; none: the episode calls no judge. */
export type JudgedAssertions = (taskIndex: number) => readonly string[];

/** What the judge grades in each task of `split`: its assertions where the reward basis has NL_ASSERTION. */
export function tau2JudgedAssertions(pack: Tau2Pack, split: BenchSplit): JudgedAssertions {
  const tasks = splitTasks(pack, tau2Split(split));
  return (taskIndex) => {
    const c = tasks[taskIndex]?.criteria;
    return c && c.rewardBasis.includes('NL_ASSERTION') ? c.nlAssertions : [];
  };
}

/** One judge call on `assertions` by the default profile: the prompts as sent, the conversation, the reply. */
function defaultJudgeCall(assertions: readonly string[]): Omit<RoleProfile, 'calls'> {
  const chars = NL_JUDGE_SYSTEM_PROMPT.length + nlJudgeUserPrompt([], assertions).length;
  return { promptPerCall: Math.ceil(chars / 4) + DEFAULT_JUDGE.conversationTokens, completionPerCall: DEFAULT_JUDGE.completionPerAssertion * assertions.length };
}

/** A pilot's judge tokens a call: the mean over its episodes that called the judge (undefined: none did). */
function measuredJudgeCall(pilot: RunRecord): Omit<RoleProfile, 'calls'> | undefined {
  const calls = Object.values(pilot.results)
    .filter((r) => r.outcome !== 'error')
    .map((r) => r.usage.filter((u) => u.role === 'judge'))
    .filter((us) => us.some((u) => u.promptTokens > 0));
  if (calls.length === 0) return undefined;
  const mean = (f: 'promptTokens' | 'completionTokens'): number => calls.reduce((s, us) => s + us.reduce((t, u) => t + u[f], 0), 0) / calls.length;
  return { promptPerCall: mean('promptTokens'), completionPerCall: mean('completionTokens') };
}

interface RoleEstimate {
  role: Role;
  model: string;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** Runs on this machine (no provider, no price). */
  local: boolean;
}

interface SweepEstimate {
  units: number;
  /** Where the per-episode figures came from. */
  basis: string;
  roles: RoleEstimate[];
  calls: number;
  tokens: number;
  cost: CostSummary;
}

/** Per-episode means of a finished run's results (episodes that ended in an error left out), by critic mode. */
function measuredProfile(pilot: RunRecord, judged: boolean, fallback: EpisodeProfile): EpisodeProfile | undefined {
  const results = Object.values(pilot.results).filter((r) => {
    const mode = pilot.spec.configurations[r.configIndex]?.mode;
    return r.outcome !== 'error' && (mode !== undefined && mode !== 'off') === judged;
  });
  if (results.length === 0) return undefined;
  const n = results.length;
  const tokens = (role: Role, f: 'promptTokens' | 'completionTokens'): number =>
    results.reduce((s, r) => s + r.usage.filter((u) => u.role === role).reduce((t, u) => t + u[f], 0), 0) / n;
  const actorCalls = results.reduce((s, r) => s + r.actorCalls, 0) / n;
  const criticCalls = results.reduce((s, r) => s + r.criticCalls, 0) / n;
  // Simulated-user calls are not counted in results: keep the default calls-to-actor-calls ratio.
  const userCalls = actorCalls * (fallback.user.calls / fallback.actor.calls);
  const per = (total: number, calls: number): number => (calls > 0 ? total / calls : 0);
  return {
    actor: { calls: actorCalls, promptPerCall: per(tokens('actor', 'promptTokens'), actorCalls), completionPerCall: per(tokens('actor', 'completionTokens'), actorCalls) },
    user: { calls: userCalls, promptPerCall: per(tokens('user', 'promptTokens'), userCalls), completionPerCall: per(tokens('user', 'completionTokens'), userCalls) },
    critic: judged ? { promptPerCall: per(tokens('critic', 'promptTokens'), criticCalls), completionPerCall: per(tokens('critic', 'completionTokens'), criticCalls) } : fallback.critic,
  };
}

/**
 * Calls, tokens and cost of running `units` of `spec`; `pilot` (a finished run) gives measured per-episode
 * figures. A τ³ spec with an `nlJudge` needs `judgedAssertions` (tau2JudgedAssertions) to count the judge's calls.
 */
export function estimateSweep(spec: RunSpec, units: readonly WorkUnit[], prices: PriceTable, pilot?: RunRecord, judgedAssertions?: JudgedAssertions): SweepEstimate {
  const family: BenchFamily = spec.environment.family;
  const judgeSpec = family === 'tau2' ? spec.nlJudge : undefined;
  if (judgeSpec && !judgedAssertions) throw new Error(`Estimating ${spec.id}'s NL judge needs its τ³ tasks' assertions`);
  const pilotJudge = pilot && measuredJudgeCall(pilot);
  const fallback = DEFAULT_PROFILES[family];
  const profiles = {
    off: (pilot && measuredProfile(pilot, false, fallback)) ?? fallback,
    judged: (pilot && measuredProfile(pilot, true, fallback)) ?? fallback,
  };
  const byKey = new Map<string, RoleEstimate>();
  const add = (role: Role, model: ModelSpec, p: RoleProfile): void => {
    const key = `${role}\u0000${model.model}`;
    const e = byKey.get(key) ?? { role, model: model.model, calls: 0, promptTokens: 0, completionTokens: 0, local: runsOnDevice(model) };
    e.calls += p.calls;
    e.promptTokens += p.calls * p.promptPerCall;
    e.completionTokens += p.calls * p.completionPerCall;
    byKey.set(key, e);
  };
  for (const u of units) {
    const config = spec.configurations[u.slot.configIndex];
    const judged = config !== undefined && config.mode !== 'off' && config.critic !== undefined;
    const p = judged ? profiles.judged : profiles.off;
    add('actor', spec.actor, p.actor);
    add('user', spec.user, p.user);
    if (judged && config.critic) add('critic', config.critic, { calls: p.actor.calls, ...p.critic });
    const assertions = judgeSpec && judgedAssertions ? judgedAssertions(u.slot.taskIndex) : [];
    if (judgeSpec && assertions.length > 0) add('judge', judgeSpec, { calls: 1, ...(pilotJudge ?? defaultJudgeCall(assertions)) });
  }
  const roles = [...byKey.values()].map((e) => ({ ...e, calls: Math.round(e.calls), promptTokens: Math.round(e.promptTokens), completionTokens: Math.round(e.completionTokens) }));
  const usage: UsageEntry[] = roles.map((r) => ({ role: r.role, model: r.model, ...(r.local ? { local: true } : {}), promptTokens: r.promptTokens, completionTokens: r.completionTokens }));
  return {
    units: units.length,
    basis: pilot ? `measured on ${Object.keys(pilot.results).length} episodes of ${pilot.spec.id} (defaults where it has none)` : `default ${family} profile (docs/sweeps.md)`,
    roles,
    calls: roles.reduce((s, r) => s + r.calls, 0),
    tokens: roles.reduce((s, r) => s + r.promptTokens + r.completionTokens, 0),
    cost: costOf(usage, prices),
  };
}

/** `--dry-run`'s output: the unit ids, one a line, then the estimate. */
export function estimateReport(units: readonly WorkUnit[], shard: Shard | undefined, e: SweepEstimate): string {
  const n = (v: number): string => v.toLocaleString('en-US');
  const lines = [
    ...units.map((u) => u.id),
    '',
    `${n(e.units)} units${shard ? ` (shard ${formatShard(shard)})` : ''}; per episode: ${e.basis}. Nothing was sent.`,
    ...e.roles.map((r) => `  ${r.role.padEnd(6)} ${r.model}${r.local ? ' (on device)' : ''}: ${n(r.calls)} calls, ${n(r.promptTokens)} prompt + ${n(r.completionTokens)} completion tokens`),
    `  total: ${n(e.calls)} calls, ${n(e.tokens)} tokens, ${formatUsd(e.cost)}`,
  ];
  return lines.join('\n') + '\n';
}
