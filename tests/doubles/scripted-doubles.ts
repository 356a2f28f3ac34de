/**
 * In-process test doubles for the core contracts, for unit tests of the loop
 * and of anything built on it. Remote providers are doubled over HTTP by
 * tests/doubles/provider-server-double.ts instead.
 */
import type { Actor, ActorReply, ActorRequest, TextSink } from '../../src/lib/actor/actor-interface.ts';
import type { Critic, CriticInput } from '../../src/lib/critic/critic-interface.ts';
import type { UserSide, UserTurn } from '../../src/lib/envs/env-interface.ts';
import { AbortedError } from '../../src/lib/errors.ts';
import type { Action, Verdict } from '../../src/lib/contracts.ts';

export type ActorStep = Action | Error | ((req: ActorRequest) => Action);

/** An actor that plays a script of actions (or throws scripted errors), recording what it was asked. */
export class ScriptedActorDouble implements Actor {
  readonly label = 'scripted-actor';
  readonly requests: ActorRequest[] = [];
  constructor(private readonly script: ActorStep[]) {}

  async propose(req: ActorRequest, signal: AbortSignal): Promise<ActorReply> {
    if (signal.aborted) throw new AbortedError();
    this.requests.push(structuredClone(req));
    const next = this.script.shift();
    if (next === undefined) throw new Error('ScriptedActorDouble: script exhausted');
    if (next instanceof Error) throw next;
    const action = typeof next === 'function' ? next(req) : next;
    return { action, usage: { promptTokens: 10, completionTokens: 2 }, latencyMs: 1 };
  }
}

/** A streamed reply: its text goes out in word-sized chunks; `stallAfter` chunks in, it stops and waits for the abort. */
export interface StreamedStep {
  action: Action;
  stallAfter?: number;
}

/**
 * An actor that streams each scripted reply's text (a message, or the text
 * before a tool call) to the caller's text sink in word-sized chunks, one per
 * macrotask as a provider's server-sent events arrive, then returns the action.
 */
export class StreamingActorDouble implements Actor {
  readonly label = 'streaming-actor';
  /** Every chunk sent, in order, across calls. */
  readonly sent: string[] = [];
  constructor(private readonly script: StreamedStep[]) {}

  async propose(_req: ActorRequest, signal: AbortSignal, onText?: TextSink): Promise<ActorReply> {
    const next = this.script.shift();
    if (next === undefined) throw new Error('StreamingActorDouble: script exhausted');
    const text = next.action.content ?? '';
    const chunks = text.match(/\S+\s*|\s+/g) ?? [];
    for (const [i, chunk] of chunks.entries()) {
      if (i === next.stallAfter) return stallUntilAbort(signal);
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (signal.aborted) throw new AbortedError();
      this.sent.push(chunk);
      onText?.(chunk);
    }
    return { action: next.action, usage: { promptTokens: 10, completionTokens: chunks.length }, latencyMs: chunks.length };
  }
}

function stallUntilAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new AbortedError());
    signal.addEventListener('abort', () => reject(new AbortedError()), { once: true });
  });
}

export type CriticStep = Pick<Verdict, 'decision' | 'feedback' | 'category'> | Error | 'hang';

/** A critic that plays a script of verdicts, errors or hangs, recording its inputs. */
export class ScriptedCriticDouble implements Critic {
  readonly label = 'scripted-critic';
  readonly inputs: CriticInput[] = [];
  constructor(private readonly script: CriticStep[]) {}

  async judge(input: CriticInput, signal: AbortSignal): Promise<Verdict> {
    this.inputs.push(structuredClone(input));
    const next = this.script.shift() ?? { decision: 'approve' };
    if (next === 'hang') {
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new AbortedError()), { once: true }));
    }
    if (next instanceof Error) throw next;
    return { ...next, latencyMs: 1, critic: this.label };
  }
}

/** A user that says scripted lines, then stops. */
export class ScriptedUserDouble implements UserSide {
  readonly kind = 'simulated';
  readonly heard: string[] = [];
  constructor(private readonly lines: string[]) {}

  async first(): Promise<UserTurn> {
    return this.#next();
  }
  async reply(agentMessage: string): Promise<UserTurn> {
    this.heard.push(agentMessage);
    return this.#next();
  }
  #next(): UserTurn {
    const line = this.lines.shift();
    return line === undefined ? { content: '###STOP###', stop: true } : { content: line, stop: false };
  }
}
