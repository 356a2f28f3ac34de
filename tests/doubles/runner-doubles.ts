/**
 * Test doubles for the benchmark runner: a tiny env with a reward, a scripted
 * agent, a scripted simulated user and a scripted critic. They stand in for
 * tau-bench packs and remote models, which the unit tests cannot reach.
 */
import type { Actor, ActorReply, ActorRequest } from '../../src/lib/actor/actor-interface.ts';
import type { Critic, CriticInput } from '../../src/lib/critic/critic-interface.ts';
import type { Env, UserSide } from '../../src/lib/envs/env-interface.ts';
import { AbortedError } from '../../src/lib/errors.ts';
import type { ToolCall, Verdict } from '../../src/lib/contracts.ts';
import type { BenchFactories } from '../../src/lib/runs/runner.ts';

/** Succeeds (reward 1) when `finish` ran with `ok: true`, unless the task/trial is listed as failing. */
export class CounterEnvDouble implements Env {
  readonly id: string;
  readonly policy = 'Call finish with ok=true, then tell the user.';
  readonly tools = [
    { type: 'function' as const, function: { name: 'finish', parameters: { type: 'object', properties: { ok: { type: 'boolean' } } } } },
  ];
  finished = false;
  constructor(readonly taskIndex: number, private readonly fails: boolean) {
    this.id = `double/${taskIndex}`;
  }
  execute(call: ToolCall) {
    if (call.name !== 'finish') return { observation: `Unknown action ${call.name}` };
    this.finished = call.arguments['ok'] === true;
    return { observation: this.finished ? 'done' : 'not done' };
  }
  reward() {
    return { reward: this.finished && !this.fails ? 1 : 0, details: { finished: this.finished } };
  }
}

/** Calls finish first, then messages the user; optionally hangs until aborted to simulate a slow model. */
export class ScriptedAgentDouble implements Actor {
  readonly label = 'agent-double';
  calls = 0;
  constructor(private readonly opts: { hang?: () => boolean; promptTokens?: number } = {}) {}
  async propose(req: ActorRequest, signal: AbortSignal): Promise<ActorReply> {
    this.calls++;
    if (this.opts.hang?.()) {
      await new Promise<never>((_, reject) => {
        if (signal.aborted) reject(new AbortedError());
        signal.addEventListener('abort', () => reject(new AbortedError()), { once: true });
      });
    }
    const usage = { promptTokens: this.opts.promptTokens ?? 100, completionTokens: 10 };
    const last = req.messages.at(-1);
    if (last?.role === 'tool' && last.content.startsWith('Your proposed action')) {
      return { action: { kind: 'tool_call', call: { id: `c${this.calls}`, name: 'finish', arguments: { ok: true } } }, usage, latencyMs: 5 };
    }
    if (last?.role === 'user') {
      return { action: { kind: 'tool_call', call: { id: `c${this.calls}`, name: 'finish', arguments: { ok: true } } }, usage, latencyMs: 5 };
    }
    return { action: { kind: 'message', content: 'All done.' }, usage, latencyMs: 5 };
  }
}

/** Opens, then stops after the agent's first message. Its actor is called once per turn so usage is metered. */
export class OneTurnUserDouble implements UserSide {
  readonly kind = 'simulated' as const;
  constructor(private readonly actor: Actor) {}
  async first(signal: AbortSignal) {
    await this.actor.propose({ system: 'user', messages: [], tools: [] }, signal);
    return { content: 'Please finish my task.', stop: false };
  }
  async reply(_agentMessage: string, signal: AbortSignal) {
    await this.actor.propose({ system: 'user', messages: [], tools: [] }, signal);
    return { content: '###STOP###', stop: true };
  }
}

export class UserActorDouble implements Actor {
  readonly label = 'user-double';
  async propose(): Promise<ActorReply> {
    return { action: { kind: 'message', content: 'ok' }, usage: { promptTokens: 50, completionTokens: 5 }, latencyMs: 1 };
  }
}

/** Approves everything, except that it sends back the first proposal it sees per episode when `strict`. */
export class FirstProposalCriticDouble implements Critic {
  readonly label = 'critic-double';
  calls = 0;
  constructor(private readonly strict = false) {}
  async judge(input: CriticInput): Promise<Verdict> {
    this.calls++;
    const usage = { promptTokens: 20, completionTokens: 2 };
    if (this.strict && input.history.length === 1 && input.previousAttempts.length === 0) {
      return { decision: 'revise', feedback: 'Check first.', latencyMs: 3, usage, critic: this.label };
    }
    return { decision: 'approve', latencyMs: 3, usage, critic: this.label };
  }
}

export interface DoubleFactories extends BenchFactories {
  envsCreated: Array<{ taskIndex: number }>;
  critics: FirstProposalCriticDouble[];
  agent: ScriptedAgentDouble;
}

/** Factories over the doubles; `fails(task, trialCounter)` decides which episodes score 0. */
export function doubleFactories(opts: { fails?: (taskIndex: number, nth: number) => boolean; agent?: ScriptedAgentDouble; strictCritic?: boolean } = {}): DoubleFactories {
  const envsCreated: Array<{ taskIndex: number }> = [];
  const perTask = new Map<number, number>();
  const critics: FirstProposalCriticDouble[] = [];
  const agent = opts.agent ?? new ScriptedAgentDouble();
  return {
    envsCreated,
    critics,
    agent,
    createEnv: (_domain, taskIndex) => {
      const nth = perTask.get(taskIndex) ?? 0;
      perTask.set(taskIndex, nth + 1);
      envsCreated.push({ taskIndex });
      return new CounterEnvDouble(taskIndex, opts.fails?.(taskIndex, nth) ?? false);
    },
    buildActor: (_spec, role) => (role === 'agent' ? agent : new UserActorDouble()),
    createUser: ({ actor }) => new OneTurnUserDouble(actor),
    buildCritic: () => {
      const c = new FirstProposalCriticDouble(opts.strictCritic);
      critics.push(c);
      return c;
    },
  };
}
