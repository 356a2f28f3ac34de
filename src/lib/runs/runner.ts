/**
 * Runs a benchmark: every pending slot of a run record through `runEpisode`,
 * at most `concurrency` at a time. Each finished episode is recorded in the
 * run record, which is persisted at once, so a reload resumes only the slots
 * without a result. Everything that talks to a model or a pack is injected.
 */
import type { Actor, ActorReply, ActorRequest } from '../actor/actor-interface.ts';
import type { Critic } from '../critic/critic-interface.ts';
import type { Env, UserSide } from '../envs/env-interface.ts';
import { errorMessage } from '../errors.ts';
import type { LoopEvent } from '../loop/events.ts';
import { preflight } from './preflight.ts';
import { runEpisode } from '../loop/run-episode.ts';
import { costOf, type CostSummary, type PriceTable } from '../pricing.ts';
import { EpisodeTally } from '../traces/episode-tally.ts';
import { TraceRecorder, type TraceSink } from '../traces/recorder.ts';
import type { Usage } from '../contracts.ts';
import { addUsage, mergeUsage, sumUsage, usageEntry, type UsageEntry } from '../usage.ts';
import { planSlots, runEnvironment, type RunSpec, type Slot } from './plan.ts';
import type { BenchEnvironment } from '../envs/bench-environment.ts';
import type { RunRecord, RunStore, SlotResult } from './record.ts';
import type { ModelSpec } from '../setup/specs.ts';

export interface BenchFactories {
  /**
   * `context` carries the rest of the run's choices (UserBench: one answer per aspect) and the
   * simulated user's model, metered, for environments whose judges are LLMs (UserBench); τ³: the
   * NL-assertion judge's model (the spec's `nlJudge`, at temperature 0), metered too, when the run has one.
   */
  createEnv(environment: BenchEnvironment, taskIndex: number, split: string, context?: { spec: RunSpec; userActor: Actor; judgeActor?: Actor }): Env | Promise<Env>;
  /** The agent gets the run's temperature; the simulated user gets `userTemperature` (tau-bench: none, the provider's default, as the original). */
  buildActor(spec: ModelSpec, role: 'agent' | 'user', temperature: number | undefined): Actor | Promise<Actor>;
  createUser(args: { environment: BenchEnvironment; taskIndex: number; split: string; env: Env; actor: Actor; spec?: RunSpec }): UserSide | Promise<UserSide>;
  /** Called once per configuration per runner session; the critic is reused across its episodes. */
  buildCritic(spec: ModelSpec): Critic | Promise<Critic>;
  /** Checks the run can start (the pack loads, every task exists) before any episode is spent. */
  prepare?(spec: RunSpec): Promise<void>;
}

export interface BenchProgress {
  total: number;
  done: number;
  running: number;
  /** Finished slots whose episode ended in an error (reward 0, as tau-bench records them). */
  errors: number;
  elapsedMs: number;
  /** From this session's throughput; undefined until an episode has finished. */
  etaMs: number | undefined;
  promptTokens: number;
  completionTokens: number;
  cost: CostSummary;
}

interface RunOptions {
  signal: AbortSignal;
  prices: PriceTable;
  /** Re-run slots whose earlier episode ended in an error. */
  retryErrors?: boolean;
  /** Only these slots (a shard of a sweep): the run is done when they all have a result. */
  only?: (slot: Slot) => boolean;
  /** Stop the run after this many episode errors in a row (a bad key or a dead endpoint). */
  maxConsecutiveErrors?: number;
  /** Call each remote model once before the run's first episode (preflight.ts); a failure ends the run before any episode. */
  preflight?: boolean;
  onProgress?(p: BenchProgress): void;
  onEvent?(slot: Slot, event: LoopEvent): void;
  onSlotDone?(slot: Slot, result: SlotResult): void;
  /** A copy of the record each time it is persisted (a slot finished, the status changed). */
  onUpdate?(record: RunRecord): void;
  now?: () => number;
}

interface BenchDeps extends BenchFactories {
  traces: TraceSink;
  runs: RunStore;
}

/** Slots that still need an episode (of those `only` keeps, when given). */
export function pendingSlots(record: RunRecord, retryErrors = false, only?: (slot: Slot) => boolean): Slot[] {
  return planSlots(record.spec).filter((s) => {
    if (only && !only(s)) return false;
    const r = record.results[s.key];
    return !r || (retryErrors && r.outcome === 'error');
  });
}

function totalUsage(record: RunRecord): UsageEntry[] {
  return mergeUsage(Object.values(record.results).flatMap((r) => r.usage));
}

export function progressOf(
  record: RunRecord,
  prices: PriceTable,
  extra: { running: number; elapsedMs: number; etaMs: number | undefined },
  only?: (slot: Slot) => boolean,
): BenchProgress {
  const results = Object.values(record.results);
  const usage = totalUsage(record);
  return {
    total: planSlots(record.spec).filter((s) => !only || only(s)).length,
    done: results.length,
    errors: results.filter((r) => r.outcome === 'error').length,
    ...sumUsage(usage),
    cost: costOf(usage, prices),
    ...extra,
  };
}

/** Counts a simulated user's tokens, which the UserSide contract does not report. */
class MeteredActor implements Actor {
  usage: Usage = { promptTokens: 0, completionTokens: 0 };
  constructor(private readonly inner: Actor) {}
  get label(): string {
    return this.inner.label;
  }
  async propose(request: ActorRequest, signal: AbortSignal): Promise<ActorReply> {
    const reply = await this.inner.propose(request, signal);
    addUsage(this.usage, reply.usage);
    return reply;
  }
}

/**
 * Runs the pending slots of `record` and resolves with the updated record.
 * Aborting stops the episodes in flight; they get no result, so a later
 * call runs them again. A factory failure (pack missing, critic engine not
 * loading) ends the run with status 'error' rather than scoring every slot 0.
 */
export async function runBenchmark(input: RunRecord, deps: BenchDeps, opts: RunOptions): Promise<RunRecord> {
  const now = opts.now ?? Date.now;
  const record: RunRecord = structuredClone(input);
  const { spec } = record;
  const queue = pendingSlots(record, opts.retryErrors, opts.only);
  const started = now();
  let finishedHere = 0;
  let running = 0;
  let consecutiveErrors = 0;
  let fatal: string | undefined;
  const inner = new AbortController();
  const signal = AbortSignal.any([opts.signal, inner.signal]);

  let writes: Promise<void> = Promise.resolve();
  const persist = (): Promise<void> => {
    record.updatedAt = now();
    const snapshot = structuredClone(record);
    writes = writes.then(
      () => deps.runs.put(snapshot),
      () => deps.runs.put(snapshot),
    );
    opts.onUpdate?.(structuredClone(snapshot));
    return writes;
  };
  const report = (): void => {
    if (!opts.onProgress) return;
    const elapsedMs = now() - started;
    const remaining = queue.length + running;
    const etaMs = finishedHere > 0 ? (elapsedMs / finishedHere) * remaining : undefined;
    opts.onProgress(progressOf(record, opts.prices, { running, elapsedMs, etaMs: remaining === 0 ? 0 : etaMs }, opts.only));
  };

  const lazy = <T>(make: () => T | Promise<T>): (() => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => (p ??= Promise.resolve().then(make));
  };
  const agentActor = lazy(() => deps.buildActor(spec.actor, 'agent', spec.temperature));
  const userActor = lazy(() => deps.buildActor(spec.user, 'user', spec.userTemperature));
  // τ³'s NL judge runs on the user's provider at temperature 0, as the original's.
  const judgeSpec = spec.nlJudge;
  const judgeActor = judgeSpec ? lazy(() => deps.buildActor(judgeSpec, 'user', 0)) : undefined;
  const critics = spec.configurations.map((c) => {
    const criticSpec = c.critic;
    return criticSpec && c.mode !== 'off' ? lazy(() => deps.buildCritic(criticSpec)) : undefined;
  });

  const runSlot = async (slot: Slot): Promise<void> => {
    const config = spec.configurations[slot.configIndex];
    if (!config) throw new Error(`No configuration ${slot.configIndex}`);
    const actor = await agentActor();
    // The user's model may serve the environment too (UserBench's judges), so it is metered before the env exists.
    const metered = new MeteredActor(await userActor());
    const judge = judgeActor ? new MeteredActor(await judgeActor()) : undefined;
    const env = await deps.createEnv(spec.environment, slot.taskIndex, spec.split, { spec, userActor: metered, ...(judge ? { judgeActor: judge } : {}) });
    const user = await deps.createUser({ environment: spec.environment, taskIndex: slot.taskIndex, split: spec.split, env, actor: metered, spec });
    const critic = await critics[slot.configIndex]?.();
    if (signal.aborted) return;

    const recorder = new TraceRecorder(deps.traces, now);
    const tally = new EpisodeTally();
    const startedAt = now();
    let end: Extract<LoopEvent, { type: 'episode_end' }> | undefined;
    const events = runEpisode(
      {
        episodeId: slot.episodeId,
        env,
        user,
        actor,
        ...(critic ? { critic } : {}),
        mode: config.mode,
        maxRevisions: config.maxRevisions,
        failureRule: config.failureRule,
        maxSteps: spec.maxSteps,
        criticTimeoutMs: spec.criticTimeoutMs,
        meta: {
          environment: runEnvironment(spec),
          taskIndex: slot.taskIndex,
          taskSplit: spec.split,
          runId: spec.id,
          trial: slot.trial,
          configLabel: config.label,
          actor: spec.actor.model,
          actorEngine: spec.actor.engine,
          ...(spec.environment.family === 'tau2' && spec.dataSource ? { dataSource: spec.dataSource } : {}),
          ...(config.critic && config.mode !== 'off' ? { critic: config.critic.model } : {}),
        },
        now,
      },
      signal,
    );
    for await (const event of events) {
      if (event.type === 'step') tally.addStep(event.step);
      await recorder.record(event);
      opts.onEvent?.(slot, event);
      if (event.type === 'episode_end') end = event;
    }
    if (!end || end.outcome === 'aborted') return; // no result: the slot runs again on resume

    const usage: UsageEntry[] = [usageEntry('actor', spec.actor, tally.actorUsage), usageEntry('user', spec.user, metered.usage)];
    if (config.critic && config.mode !== 'off') usage.push(usageEntry('critic', config.critic, tally.criticUsage));
    if (judge && judgeSpec) usage.push(usageEntry('judge', judgeSpec, judge.usage));
    const result: SlotResult = {
      key: slot.key,
      episodeId: slot.episodeId,
      configIndex: slot.configIndex,
      taskIndex: slot.taskIndex,
      trial: slot.trial,
      outcome: end.outcome,
      reward: end.reward ?? 0,
      // τ³: an episode that ended by itself with no reward needed the NL judge and had none: "not judged", never a pass.
      ...(end.reward === undefined && end.outcome !== 'error' && end.rewardDetails?.['notJudged'] === true ? { notJudged: true as const } : {}),
      ...(end.rewardDetails ? { rewardDetails: end.rewardDetails } : {}),
      ...(spec.environment.family === 'userbench' ? { turnRewards: tally.turnRewards } : {}),
      ...(end.error ? { error: end.error } : {}),
      steps: tally.steps,
      revisions: tally.revisions,
      flagged: tally.flagged,
      usage,
      actorCalls: tally.proposals,
      actorLatencyMs: tally.actorLatencyMs,
      criticCalls: tally.verdicts,
      criticLatencyMs: tally.criticLatencyMs,
      criticErrors: tally.criticErrors,
      contextOverflows: tally.contextOverflows,
      startedAt,
      endedAt: end.at,
    };
    record.results[slot.key] = result;
    finishedHere++;
    consecutiveErrors = result.outcome === 'error' ? consecutiveErrors + 1 : 0;
    await persist();
    opts.onSlotDone?.(slot, result);
    if (opts.maxConsecutiveErrors !== undefined && consecutiveErrors >= opts.maxConsecutiveErrors) {
      fatal = `Stopped after ${consecutiveErrors} episodes in a row ended in an error; last: ${result.error ?? 'unknown'}`;
      inner.abort();
    }
  };

  const worker = async (): Promise<void> => {
    for (let slot = queue.shift(); slot && !signal.aborted; slot = queue.shift()) {
      running++;
      report();
      try {
        await runSlot(slot);
      } catch (err) {
        fatal ??= errorMessage(err);
        inner.abort();
      } finally {
        running--;
        report();
      }
    }
  };

  record.status = 'running';
  delete record.error;
  await persist();
  report();
  try {
    if (queue.length > 0) await deps.prepare?.(spec);
    if (queue.length > 0 && opts.preflight && Object.keys(record.results).length === 0) await preflight(spec, deps, signal);
  } catch (err) {
    fatal = errorMessage(err);
    queue.length = 0;
  }
  await Promise.all(Array.from({ length: Math.min(spec.concurrency, Math.max(queue.length, 1)) }, worker));

  if (fatal !== undefined) {
    record.status = 'error';
    record.error = fatal;
  } else if (opts.signal.aborted) {
    record.status = 'cancelled';
  } else {
    record.status = pendingSlots(record, false, opts.only).length === 0 ? 'done' : 'cancelled';
  }
  await persist();
  report();
  return record;
}
