/**
 * Critic cost per step as an episode grows: prompt tokens prefilled with and
 * without reusing the cached prefix, and median verdict latency, on the tiny
 * model under Node (transformers.js engine, onnxruntime-node cpu).
 */
import type { Action, ChatMessage, ToolSchema } from '../types.ts';
import { EngineCritic } from './engine-critic.ts';
import { TransformersEngine } from './engines/transformers.ts';
import type { PromptStyle } from './engines/types.ts';
import type { CriticInput } from './types.ts';
import { median as medianOrNull } from '../stats.ts';

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
