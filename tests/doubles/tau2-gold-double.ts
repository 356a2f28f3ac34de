/**
 * Tau2GoldDouble: ProviderServerDouble responders that play a τ³ task over
 * HTTP, for runs through the real SDK path. The simulated user names its task
 * (found by its scenario in the system prompt) in its first message; the agent
 * then plays that task's gold agent actions in order, one per call (or all
 * but the last write when the task id is listed in `skipLastWrite`), and ends
 * with ###STOP###; the NL judge finds every assertion of the named task met;
 * the critic approves.
 */
import { toJs } from '../../src/lib/envs/tau-bench/py.ts';
import type { Tau2Pack } from '../../src/lib/envs/tau2/pack.ts';
import type { Tau2Task } from '../../src/lib/envs/tau2/tasks.ts';
import type { RecordedRequest, Responder, ScriptedReply } from './provider-server-double.ts';

const TASK_TAG = /\(task ([^)]+)\)/;

function texts(req: RecordedRequest): string[] {
  const messages = req.body['messages'];
  if (!Array.isArray(messages)) return [];
  return messages.map((m: unknown) => {
    if (typeof m !== 'object' || m === null || !('content' in m)) return '';
    const c = m.content;
    return typeof c === 'string' ? c : JSON.stringify(c);
  });
}

function roles(req: RecordedRequest): string[] {
  const messages = req.body['messages'];
  return Array.isArray(messages) ? messages.map((m: unknown) => (typeof m === 'object' && m !== null && 'role' in m && typeof m.role === 'string' ? m.role : '')) : [];
}

export class Tau2GoldDouble {
  constructor(
    private readonly pack: Tau2Pack,
    private readonly skipLastWrite: ReadonlySet<string> = new Set(),
  ) {}

  private taskNamed(req: RecordedRequest): Tau2Task | undefined {
    for (const t of texts(req)) {
      const id = TASK_TAG.exec(t)?.[1];
      if (id !== undefined) return this.pack.tasks.find((x) => x.id === id);
    }
    return undefined;
  }

  /** The simulated user: names its task, then stops. */
  readonly user: Responder = (req): ScriptedReply => {
    const system = texts(req)[0] ?? '';
    const task = this.pack.tasks.find((t) => t.userInstructions !== null && system.includes(t.userInstructions));
    if (roles(req).filter((r) => r === 'assistant').length === 0) return { kind: 'message', content: `Hi, I need help with my request (task ${task?.id ?? '?'}).` };
    return { kind: 'message', content: 'Thank you, that is all. ###STOP###' };
  };

  /** The agent: the named task's gold actions, then ###STOP###. */
  readonly agent: Responder = (req): ScriptedReply => {
    const task = this.taskNamed(req);
    if (task === undefined) return { kind: 'message', content: 'Which request is this about?' };
    const kit = this.pack.makeEnv().tools;
    let gold = (task.criteria?.actions ?? []).filter((a) => a.requestor === 'assistant');
    if (this.skipLastWrite.has(task.id)) {
      const last = gold.map((a) => kit.get(a.name)?.mutates === true).lastIndexOf(true);
      gold = gold.filter((_, i) => i !== last);
    }
    const done = roles(req).filter((r) => r === 'tool').length;
    const next = gold[done];
    if (next === undefined) return { kind: 'message', content: 'Your request is complete. ###STOP###' };
    const args = toJs(next.arguments);
    return { kind: 'tool_call', name: next.name, arguments: typeof args === 'object' && args !== null && !Array.isArray(args) ? Object.fromEntries(Object.entries(args)) : {}, id: `gold_${done}` };
  };

  /** The NL-assertion judge: every assertion of the named task met. */
  readonly judge: Responder = (req): ScriptedReply => {
    const task = this.taskNamed(req);
    const results = (task?.criteria?.nlAssertions ?? []).map((a) => ({ expectedOutcome: a, reasoning: 'The agent did this.', metExpectation: true }));
    return { kind: 'message', content: JSON.stringify({ results }) };
  };

  readonly critic: Responder = (): ScriptedReply => ({ kind: 'message', content: '{"decision": "approve"}' });
}
