import { OpenAICompatibleActor } from '../src/lib/actor/openai.ts';
import { RemoteCritic } from '../src/lib/critic/remote.ts';
import type { Env } from '../src/lib/envs/env-interface.ts';
import { ScriptedUserDouble } from '../tests/doubles/scripted-doubles.ts';
import { TraceRecorder, type TraceSink } from '../src/lib/traces/recorder.ts';
import { runEpisode } from '../src/lib/loop/run-episode.ts';
import { median as medianOrNull } from '../src/lib/percentiles.ts';

const median = (xs: number[]): number => medianOrNull(xs) ?? NaN;

export interface LoopBenchResult {
  steps: number;
  /** Wall time of a step, proposal to executed action, median ms. */
  stepMs: number;
  actorMs: number;
  criticMs: number;
  /** What the loop itself adds: step time minus the actor and critic calls. */
  overheadMs: number;
  /** Time for the trace write after each step to be durable, median ms. */
  traceWriteMs: number;
}

/**
 * One episode of `steps` tool calls against a local OpenAI-compatible server
 * that answers at once (model names `bench-actor`, `bench-critic`, scripted by
 * the caller), every step judged and persisted.
 */
export async function benchLoop(baseUrl: string, steps: number, sink: TraceSink): Promise<LoopBenchResult> {
  const env: Env = {
    id: 'bench',
    policy: 'Bench policy.',
    tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { id: { type: 'string' } } } } }],
    execute: (c) => ({ observation: JSON.stringify({ id: c.arguments.id, status: 'ok' }) }),
  };
  const pc = { kind: 'openai-compatible', baseUrl, apiKey: 'bench', temperature: 0, maxTokens: 64, stream: false } as const;
  const recorder = new TraceRecorder(sink);
  const stepMs: number[] = [];
  const actorMs: number[] = [];
  const criticMs: number[] = [];
  const writeMs: number[] = [];
  // performance.now, not the trace's epoch-ms stamps: sub-millisecond steps need it.
  let lastEventDone = performance.now();
  for await (const e of runEpisode(
    {
      episodeId: `bench-${Date.now()}`,
      env,
      user: new ScriptedUserDouble(['start']),
      actor: new OpenAICompatibleActor({ ...pc, model: 'bench-actor' }),
      critic: new RemoteCritic({ ...pc, model: 'bench-critic' }),
      mode: 'intervene',
      maxRevisions: 2,
      failureRule: 'fail-open',
      maxSteps: steps,
      criticTimeoutMs: 10_000,
      meta: { environment: { family: 'policy-chat' } },
    },
    new AbortController().signal,
  )) {
    const t0 = performance.now();
    const sinceLast = t0 - lastEventDone;
    await recorder.record(e);
    const done = performance.now();
    if (e.type === 'user' || e.type === 'step') lastEventDone = done;
    if (e.type === 'step') {
      writeMs.push(done - t0);
      stepMs.push(sinceLast);
      actorMs.push(e.step.proposals.reduce((s, p) => s + p.latencyMs, 0));
      criticMs.push(e.step.proposals.reduce((s, p) => s + (p.verdict?.latencyMs ?? 0), 0));
    }
  }
  const overhead = stepMs.map((s, i) => s - (actorMs[i] ?? 0) - (criticMs[i] ?? 0));
  return {
    steps: stepMs.length,
    stepMs: median(stepMs),
    actorMs: median(actorMs),
    criticMs: median(criticMs),
    overheadMs: median(overhead),
    traceWriteMs: median(writeMs),
  };
}
