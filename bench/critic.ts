/**
 * Critic cost per step as an episode grows: prompt tokens prefilled with and
 * without reusing the cached prefix, and median verdict latency, on the tiny
 * model under Node (transformers.js engine, onnxruntime-node cpu).
 */
import type { Actor, ActorReply, ActorRequest } from '../src/lib/actor/actor-interface.ts';
import type { Env, UserSide } from '../src/lib/envs/env-interface.ts';
import { AbortedError } from '../src/lib/errors.ts';
import { runEpisode } from '../src/lib/loop/run-episode.ts';
import type { Action, ChatMessage, ToolSchema } from '../src/lib/contracts.ts';
import { EngineCritic } from '../src/lib/critic/engine-critic.ts';
import { TransformersEngine } from '../src/lib/engines/transformers.ts';
import type { PromptStyle } from '../src/lib/engines/engine-interface.ts';
import type { Critic, CriticInput } from '../src/lib/critic/critic-interface.ts';
import { median as medianOrNull } from '../src/lib/percentiles.ts';
import type { TauPack } from '../src/lib/envs/tau-bench/pack.ts';
import type { TauDomain } from '../src/lib/envs/environment.ts';
import { realLengthEpisodes } from '../tests/fixtures/real-length-episodes.ts';

export interface CriticBenchRow {
  steps: number;
  reuse: boolean;
  promptStyle: PromptStyle;
  /** Whether the critic prefilled the prompt up to each proposal beforehand (as while the actor writes it). */
  prepared: boolean;
  /** Mean prompt tokens computed per verdict. */
  prefillPerStep: number;
  /** Mean prompt tokens per verdict (what is prefilled without reuse). */
  promptPerStep: number;
  totalPrefill: number;
  medianLatencyMs: number;
  decisions: Record<string, number>;
}

export interface CriticBenchOptions {
  /** Folder holding the tiny models (npm run fixtures writes .fixtures/models). */
  modelsDir: string;
  model?: string;
  stepCounts?: number[];
  policy?: string;
}

const TOOLS: ToolSchema[] = [
  { type: 'function', function: { name: 'get_user_details', description: 'Get the details of a user.', parameters: { type: 'object' } } },
  { type: 'function', function: { name: 'cancel_reservation', description: 'Cancel a reservation.', parameters: { type: 'object' } } },
];
const POLICY = `# Airline agent policy (bench stand-in)\n${'Before taking any action that updates the booking database, obtain explicit user confirmation (yes). '.repeat(12)}`;

/** Critic inputs of one synthetic episode: each step adds a user turn, a tool call and its result. */
export function syntheticEpisode(steps: number, policy = POLICY): CriticInput[] {
  const history: ChatMessage[] = [];
  const inputs: CriticInput[] = [];
  for (let i = 0; i < steps; i++) {
    history.push({ role: 'user', content: `Step ${i}: please check reservation R${1000 + i}.` });
    const proposal: Action = { kind: 'tool_call', call: { id: `c${i}`, name: 'get_user_details', arguments: { user_id: `user_${i}` } } };
    inputs.push({ policy, tools: TOOLS, history: structuredClone(history), proposal, previousAttempts: [] });
    history.push({ role: 'assistant', content: '', toolCalls: [proposal.call] }, { role: 'tool', toolCallId: `c${i}`, name: 'get_user_details', content: `{"user_id":"user_${i}","reservations":["R${1000 + i}"]}` });
  }
  return inputs;
}

const median = (xs: number[]): number => medianOrNull(xs) ?? NaN;

export async function benchCritic(opts: CriticBenchOptions): Promise<CriticBenchRow[]> {
  const rows: CriticBenchRow[] = [];
  const configs: Array<{ reuse: boolean; promptStyle: PromptStyle; prepared: boolean }> = [
    { reuse: false, promptStyle: 'single-turn', prepared: false },
    { reuse: true, promptStyle: 'single-turn', prepared: false },
    { reuse: true, promptStyle: 'incremental', prepared: false },
    { reuse: true, promptStyle: 'incremental', prepared: true },
  ];
  for (const { reuse, promptStyle, prepared } of configs) {
    const engine = new TransformersEngine({ model: opts.model ?? 'tiny-critic-kv', localModelPath: opts.modelsDir, dtype: 'fp32', reusePrefix: reuse, promptStyle });
    await engine.load(() => {});
    const critic = new EngineCritic(engine, 16);
    for (const steps of opts.stepCounts ?? [10, 30, 60]) {
      await engine.resetCache();
      let prefill = 0;
      let prompt = 0;
      const latencies: number[] = [];
      const decisions: Record<string, number> = {};
      for (const input of syntheticEpisode(steps, opts.policy)) {
        if (prepared) await critic.prepare(input, new AbortController().signal);
        const { verdict, stats } = await critic.judgeWithStats(input, new AbortController().signal);
        prefill += stats.prefillTokens;
        prompt += stats.prefillTokens + stats.reusedTokens;
        latencies.push(verdict.latencyMs);
        decisions[verdict.decision] = (decisions[verdict.decision] ?? 0) + 1;
      }
      rows.push({
        steps,
        reuse,
        promptStyle,
        prepared,
        prefillPerStep: Math.round(prefill / steps),
        promptPerStep: Math.round(prompt / steps),
        totalPrefill: prefill,
        medianLatencyMs: Math.round(median(latencies) * 10) / 10,
        decisions,
      });
    }
    await engine.unload();
  }
  return rows;
}

export function formatCriticBench(rows: readonly CriticBenchRow[]): string {
  const lines = [
    'Critic (transformers.js, tiny model, Node cpu): prompt tokens per verdict request, and those prefilled by it (after a preparation: only what follows it)',
    'steps  reuse  format       prepared  prompt/step  prefilled/step  total prefilled  median verdict ms  verdicts',
  ];
  for (const r of rows) {
    const d = Object.entries(r.decisions).map(([k, v]) => `${k}:${v}`).join(' ');
    lines.push(
      `${String(r.steps).padStart(5)}  ${(r.reuse ? 'yes' : 'no').padEnd(5)}  ${r.promptStyle.padEnd(11)}  ${(r.prepared ? 'yes' : 'no').padEnd(8)}  ${String(r.promptPerStep).padStart(11)}  ${String(r.prefillPerStep).padStart(14)}  ${String(r.totalPrefill).padStart(15)}  ${String(r.medianLatencyMs).padStart(17)}  ${d}`,
    );
  }
  return lines.join('\n');
}

/** Stands in for the actor: answers each step with the next of `actions` after `delayMs` (as a remote model takes time to write). */
export class DelayedActorDouble implements Actor {
  readonly label = 'delayed-actor-double';
  #step = 0;
  constructor(
    private readonly actions: readonly Action[],
    private readonly delayMs: number,
  ) {}
  async propose(_req: ActorRequest, signal: AbortSignal): Promise<ActorReply> {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, this.delayMs);
      signal.addEventListener('abort', () => (clearTimeout(t), reject(new AbortedError())), { once: true });
    });
    const action = this.actions[this.#step++] ?? { kind: 'message', content: 'All done.' };
    return { action, latencyMs: this.delayMs };
  }
}

/** An episode to replay through the loop: the policy, the tools and the whole conversation (a real-length one: tests/fixtures/real-length-episodes.ts). */
export interface ReplayEpisode {
  policy: string;
  tools: ToolSchema[];
  history: ChatMessage[];
}

/** The real-length episode of `domain` with the most decision points, as a replay. */
export function longestReplayEpisode(pack: TauPack, domain: TauDomain): ReplayEpisode & { taskIndex: number } {
  const longest = realLengthEpisodes(pack, domain).reduce((a, e) => (e.points.length > a.points.length ? e : a));
  const first = longest.points[0];
  if (!first) throw new Error(`no real-length ${domain} episode`);
  return { policy: first.policy, tools: first.tools, history: longest.history, taskIndex: longest.taskIndex };
}

/** The replay's parts: the actor's actions in order, each tool call's observation, and the user's turns in order. */
export function replayParts(history: readonly ChatMessage[]): { actions: Action[]; observations: Map<string, string>; userTurns: string[] } {
  const actions: Action[] = [];
  const observations = new Map<string, string>();
  const userTurns: string[] = [];
  for (const m of history) {
    if (m.role === 'user') userTurns.push(m.content);
    else if (m.role === 'tool') observations.set(m.toolCallId, m.content);
    else if (m.role === 'assistant') {
      const call = m.toolCalls?.[0];
      actions.push(call ? { kind: 'tool_call', call, ...(m.content ? { content: m.content } : {}) } : { kind: 'message', content: m.content });
    }
  }
  return { actions, observations, userTurns };
}

export interface PreparationBench {
  steps: number;
  actorDelayMs: number;
  /** Mean prompt tokens per verdict request (the same both ways). */
  promptPerStep: number;
  /** Mean prompt tokens the verdict request computed after the actor's reply, without and with preparation. */
  prefillWithoutPerStep: number;
  prefillWithPerStep: number;
  /** Median time from the actor's reply to the verdict, without and with preparation. */
  withoutMs: number;
  withMs: number;
  /** withMs / withoutMs: the goal is at most 1/3. */
  ratio: number;
  /** Same verdicts and same prompt sizes both ways (preparation must change neither). */
  sameVerdicts: boolean;
  samePrompts: boolean;
}

/** A critic that reports what its latest verdict prefilled (WorkerCritic, EngineCritic). */
export type MeasuredCritic = Critic & { readonly lastStats?: { prefillTokens: number; reusedTokens: number } | undefined };

/**
 * Verdict latency after the actor's reply, through the real loop, replaying
 * `episode` with the actor delayed by `actorDelayMs`: once with the critic's
 * preparation hidden, once with it. `makeCritic` gives a fresh critic (its
 * own cache) each time.
 */
export async function benchPreparation(makeCritic: () => Promise<MeasuredCritic>, episode: ReplayEpisode, actorDelayMs = 500): Promise<PreparationBench> {
  const { actions, observations, userTurns } = replayParts(episode.history);
  const run = async (prepared: boolean) => {
    const inner = await makeCritic();
    const critic: Critic = prepared ? inner : { label: inner.label, judge: (i, s) => inner.judge(i, s) };
    const env: Env = {
      id: 'bench',
      policy: episode.policy,
      tools: episode.tools,
      execute: (c) => ({ observation: observations.get(c.id) ?? '' }),
    };
    let turn = 0;
    const next = async () => {
      const content = userTurns[turn++] ?? '###STOP###';
      return { content, stop: turn > 1 && content.includes('###STOP###') };
    };
    const user: UserSide = { kind: 'simulated', first: next, reply: next };
    const after: number[] = [];
    const verdicts: string[] = [];
    let prefill = 0;
    let prompt = 0;
    let proposedAt = 0;
    const cfg = { episodeId: 'bench', env, user, actor: new DelayedActorDouble(actions, actorDelayMs), critic, mode: 'intervene' as const, maxRevisions: 0 };
    for await (const e of runEpisode({ ...cfg, failureRule: 'fail-open', maxSteps: actions.length, criticTimeoutMs: 60_000, meta: { environment: { family: 'policy-chat' } } }, new AbortController().signal)) {
      if (e.type === 'proposal') proposedAt = performance.now();
      if (e.type === 'verdict') {
        after.push(performance.now() - proposedAt);
        verdicts.push(e.verdict.decision);
        prefill += inner.lastStats?.prefillTokens ?? NaN;
        prompt += (inner.lastStats?.prefillTokens ?? NaN) + (inner.lastStats?.reusedTokens ?? NaN);
      }
    }
    return { ms: median(after), verdicts, prefill: prefill / verdicts.length, prompt: prompt / verdicts.length };
  };
  const without = await run(false);
  const withPrep = await run(true);
  return {
    steps: without.verdicts.length,
    actorDelayMs,
    promptPerStep: Math.round(without.prompt),
    prefillWithoutPerStep: Math.round(without.prefill),
    prefillWithPerStep: Math.round(withPrep.prefill),
    withoutMs: without.ms,
    withMs: withPrep.ms,
    ratio: withPrep.ms / without.ms,
    sameVerdicts: JSON.stringify(without.verdicts) === JSON.stringify(withPrep.verdicts),
    samePrompts: withPrep.prompt === without.prompt,
  };
}
