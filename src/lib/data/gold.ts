import type { TauTask } from '../envs/tau-bench/pack.ts';
import type { Tau2Task } from '../envs/tau2/tasks.ts';
import { toJs, type PyDict } from '../envs/tau-bench/py.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import type { Action } from '../contracts.ts';

/** A gold action as tau-bench tasks list them; `respond` is a message to the user. */
interface GoldAction {
  name: string;
  kwargs: Record<string, unknown>;
}

/** The part of a task the outcome labels need: its gold actions and required outputs. */
export interface GoldTask {
  actions: GoldAction[];
  outputs: string[];
}

/** Python-valued arguments (dict order kept by the pack) as plain JSON values. */
function plainArgs(args: PyDict): Record<string, unknown> {
  return Object.fromEntries([...args].map(([k, v]) => [k, toJs(v)]));
}

/** A task of the loaded pack (validated by pack.ts), with its arguments as plain JSON values. */
export function goldTaskOf(task: TauTask): GoldTask {
  return {
    actions: task.actions.map((a) => ({ name: a.name, kwargs: plainArgs(a.kwargs) })),
    outputs: task.outputs,
  };
}

/**
 * A τ³ task's gold as the labels read it: the agent's gold actions (the user's own phone actions in telecom are
 * not the agent's to propose) with plain JSON arguments, and the facts it must communicate as its outputs.
 */
export function tau2GoldTaskOf(task: Tau2Task): GoldTask {
  return {
    actions: (task.criteria?.actions ?? []).filter((a) => a.requestor === 'assistant').map((a) => ({ name: a.name, kwargs: plainArgs(a.arguments) })),
    outputs: task.criteria?.communicateInfo ?? [],
  };
}

/**
 * Whether a proposal agrees with the gold trajectory at its point:
 * `right`: a tool call equal (name and arguments) to a gold action not yet done;
 * `wrong`: a call of a state-changing tool that matches no gold action still to do;
 * `neutral`: messages and read-only calls, which gold actions cannot judge.
 */
type Correctness = 'right' | 'wrong' | 'neutral';

interface GoldJudgement {
  correctness: Correctness;
  /** For `wrong`: a short problem label and feedback naming expected vs proposed. */
  category?: string;
  feedback?: string;
}

/** tau-bench's read-only tools (get_/find_/list_/search_, calculate, think): an extra read is harmless. */
export function isReadOnlyTool(name: string): boolean {
  return /^(get|find|list|search)_/.test(name) || name === 'calculate' || name === 'think';
}

/** Structural equality: object key order is ignored, array order is not. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function renderCall(name: string, args: Record<string, unknown>): string {
  return `${name}(${JSON.stringify(args)})`;
}

export function pointKey(episodeId: string, stepIndex: number, attempt: number): string {
  return `${episodeId}#${stepIndex}.${attempt}`;
}

interface GoldReplay {
  /** Per proposal (by pointKey). */
  judgements: Map<string, GoldJudgement>;
  /** Index of the first step whose executed action is `wrong`; undefined when none is. */
  departureStep: number | undefined;
}

function judge(action: Action, gold: readonly GoldAction[], done: readonly boolean[], readOnly: (name: string) => boolean): GoldJudgement {
  if (action.kind !== 'tool_call') return { correctness: 'neutral' };
  const { name, arguments: args } = action.call;
  const open = gold.map((g, i) => ({ g, i })).filter(({ i }) => !done[i]);
  if (open.some(({ g }) => g.name === name && sameValue(g.kwargs, args))) return { correctness: 'right' };
  if (readOnly(name)) return { correctness: 'neutral' };
  const proposed = renderCall(name, args);
  const sameName = open.find(({ g }) => g.name === name);
  if (sameName) {
    return {
      correctness: 'wrong',
      category: 'wrong-arguments',
      feedback: `The arguments do not match what this request requires. Proposed: ${proposed}. Expected: ${renderCall(name, sameName.g.kwargs)}.`,
    };
  }
  const next = open[0];
  return {
    correctness: 'wrong',
    category: 'unexpected-action',
    feedback: next
      ? `${name} is not an action this request requires. Proposed: ${proposed}. Expected next: ${renderCall(next.g.name, next.g.kwargs)}.`
      : `No further change is needed for this request. Proposed: ${proposed}. Expected: no action that changes anything.`,
  };
}

/**
 * Replays an episode against its task's gold actions (all but `respond`),
 * judging every proposal, rejected ones included, against the gold actions
 * not yet done by the executed steps before it. Order among gold actions is
 * not enforced: tau-bench scores the final database, not the order.
 */
export function replayAgainstGold(trace: EpisodeTrace, task: GoldTask, readOnly: (name: string) => boolean = isReadOnlyTool): GoldReplay {
  const gold = task.actions.filter((a) => a.name !== 'respond');
  const done = gold.map(() => false);
  const judgements = new Map<string, GoldJudgement>();
  let departureStep: number | undefined;
  for (const entry of trace.timeline) {
    if (entry.type !== 'step') continue;
    const { step } = entry;
    step.proposals.forEach((p, i) => {
      const j = judge(p.action, gold, done, readOnly);
      judgements.set(pointKey(trace.id, step.index, p.attempt), j);
      if (i === step.proposals.length - 1 && j.correctness === 'wrong' && departureStep === undefined) departureStep = step.index;
    });
    const ex = step.executed;
    if (ex.kind === 'tool_call') {
      const i = gold.findIndex((g, k) => !done[k] && g.name === ex.call.name && sameValue(g.kwargs, ex.call.arguments));
      if (i >= 0) done[i] = true;
    }
  }
  return { judgements, departureStep };
}
