/**
 * Scripted remote models for headless tau-bench runs against
 * ProviderServerDouble: an agent double that replays a task's gold actions
 * (then says the task's outputs), and a simulated-user double that opens with
 * the task's marker `[T<i>]` and stops after the agent's first message. Both
 * decide from the request alone, so any number of processes get the same
 * replies for the same episode.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { RecordedRequest, Responder, ScriptedReply } from './provider-server-double.ts';

const TaskSchema = z.object({ instruction: z.string(), outputs: z.array(z.string()), actions: z.array(z.object({ name: z.string(), kwargs: z.record(z.string(), z.unknown()) })) });
export type GoldTask = z.infer<typeof TaskSchema>;

/** The retail test tasks of the pack in `dataDir`, or none when it is absent. */
export function retailGoldTasks(dataDir: string): GoldTask[] {
  const file = join(dataDir, 'retail/tasks_test.json');
  return existsSync(file) ? z.array(TaskSchema).parse(JSON.parse(readFileSync(file, 'utf8'))) : [];
}

const Messages = z.array(z.object({ role: z.string(), content: z.unknown().optional() }).passthrough());
const text = (c: unknown): string => (typeof c === 'string' ? c : JSON.stringify(c ?? ''));

/** The task a request belongs to, from the user's `[T<i>]` marker; -1 when none. */
export function taskOfRequest(req: RecordedRequest): number {
  return Number(/\[T(\d+)\]/.exec(JSON.stringify(req.body))?.[1] ?? -1);
}

export interface GoldAgentHooks {
  /** Called on an episode's first agent request. */
  onStart?(task: number): void;
  /** A reply that replaces the gold one (a fault, a hang) for this request. */
  override?(task: number, req: RecordedRequest): ScriptedReply | undefined;
}

export function goldAgentResponder(tasks: readonly GoldTask[], hooks: GoldAgentHooks = {}): Responder {
  return (req) => {
    const msgs = Messages.parse(req.body['messages'] ?? []);
    const task = Number(/\[T(\d+)\]/.exec(text(msgs.find((m) => m.role === 'user')?.content))?.[1] ?? -1);
    if (!msgs.some((m) => m.role === 'assistant')) hooks.onStart?.(task);
    const over = hooks.override?.(task, req);
    if (over) return over;
    const t = tasks[task];
    const next = t?.actions.filter((a) => a.name !== 'respond')[msgs.filter((m) => m.role === 'tool').length];
    if (next) return { kind: 'tool_call', name: next.name, arguments: next.kwargs };
    return { kind: 'message', content: `Done. ${t?.outputs.join(' ') ?? ''}` };
  };
}

export function taskUserResponder(tasks: readonly GoldTask[]): Responder {
  return (req) => {
    const all = JSON.stringify(req.body);
    if (all.includes('[T')) return { kind: 'message', content: '###STOP###' };
    const t = tasks.findIndex((x) => all.includes(JSON.stringify(x.instruction).slice(1, -1)));
    return { kind: 'message', content: `Hello. [T${t}]` };
  };
}
