import type { Actor, ActorReply, ActorRequest } from '../actor/actor-interface.ts';
import type { Critic, CriticInput } from '../critic/critic-interface.ts';
import type { Env, OnUserTool, UserSide, UserTurn } from '../envs/env-interface.ts';
import { errorMessage, isAbort, ProviderError, SpotterError } from '../errors.ts';
import { criticErrorVerdict } from '../critic/health.ts';
import type { Action, CriticMode, FailureRule, Proposal, Step, Verdict } from '../contracts.ts';
import type { EpisodeMeta, LoopEvent, Outcome, TimelineEntry } from './events.ts';
import { historyFromTimeline, revisionMessages } from './history.ts';
import { streamWhile } from './stream-while.ts';

export interface EpisodeConfig {
  episodeId: string;
  env: Env;
  user: UserSide;
  actor: Actor;
  critic?: Critic;
  mode: CriticMode;
  /** K: how many times the critic may send a step back before the last proposal runs anyway. */
  maxRevisions: number;
  failureRule: FailureRule;
  /** Actor actions per episode (tau-bench: 30). */
  maxSteps: number;
  /** A critic that takes longer is recorded as an error and handled by the failure rule. */
  criticTimeoutMs: number;
  meta: Omit<EpisodeMeta, 'mode' | 'maxRevisions' | 'failureRule' | 'actor' | 'critic' | 'userKind'> &
    Partial<Pick<EpisodeMeta, 'actor' | 'critic'>>;
  now?: () => number;
  /**
   * Continue an interrupted episode (a reload mid-episode) from its stored
   * timeline. Executed tool calls are replayed on the fresh env to rebuild its
   * state (tau-bench tools are deterministic), and the user side hears the
   * rest in order (`UserSide.replay`: τ³ rebuilds its trajectory and reruns
   * the user's own tool calls), then the loop goes on from the next step. No
   * episode_start is emitted: the trace already exists.
   */
  resume?: readonly TimelineEntry[];
  /**
   * Asked when a step's actor call, or a retry-safe simulated user's turn,
   * fails for good (after its own retries): with it the episode stays open (a
   * `turn_failed` event, then the answer: retry the same call, edit the
   * person's last message and retry (actor only), or end with the error).
   * Without it (headless runs) the episode ends with the error.
   * Aborting `signal` while it waits ends the episode as aborted.
   */
  recover?: (signal: AbortSignal) => Promise<TurnRecovery>;
}

/** What the person chose after a failed turn. */
export type TurnRecovery = { kind: 'retry' } | { kind: 'edit'; text: string } | { kind: 'end' };

/** What the actor is told when a verdict objects without feedback of its own (fail-closed on unparsed/error). */
export const FAIL_CLOSED_FEEDBACK =
  'The reviewer could not check this action. Re-read the policy and make sure the action complies before proceeding.';

/** The critic's decision as the loop acts on it, after the failure rule. */
function objects(verdict: Verdict, rule: FailureRule): boolean {
  if (verdict.decision === 'approve') return false;
  if (verdict.decision === 'revise') return true;
  return rule === 'fail-closed';
}

/** The feedback a rejected proposal carries back to the actor; training data rebuilds it with this same function. */
export function feedbackOf(verdict: Verdict | undefined): string {
  return verdict?.decision === 'revise' && verdict.feedback ? verdict.feedback : FAIL_CLOSED_FEEDBACK;
}

async function judgeSafely(critic: Critic, input: CriticInput, timeoutMs: number, signal: AbortSignal, now: () => number): Promise<Verdict> {
  const started = now();
  const timeout = AbortSignal.timeout(timeoutMs);
  const both = AbortSignal.any([signal, timeout]);
  try {
    return await critic.judge(input, both);
  } catch (err) {
    if (signal.aborted) throw err;
    return criticErrorVerdict(err, timeout.aborted ? timeoutMs : undefined, now() - started, critic.label);
  }
}

/**
 * Lets the critic prefill the prompt up to the proposal while the actor
 * writes it (the verdict then hides behind the actor). Fire and forget: a
 * failed or aborted preparation only means the verdict computes more; the
 * episode's abort (or the critic timeout) cancels it.
 */
function prepareCritic(critic: Critic, input: Omit<CriticInput, 'proposal'>, timeoutMs: number, signal: AbortSignal): void {
  if (!critic.prepare) return;
  critic.prepare(structuredClone(input), AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])).catch(() => undefined);
}

/**
 * Runs one supervised episode: the actor proposes, the critic judges, the
 * approved (or finally flagged) action executes, until the user stops, a tool
 * ends the episode, the step limit is reached, or `signal` aborts.
 * Yields every event as data; never throws for actor, critic or tool failures.
 */
export async function* runEpisode(cfg: EpisodeConfig, signal: AbortSignal): AsyncGenerator<LoopEvent, void, undefined> {
  const now = cfg.now ?? Date.now;
  const critic = cfg.mode === 'off' ? undefined : cfg.critic;
  const timeline: TimelineEntry[] = [];
  const agentMessages: string[] = [];

  if (!cfg.resume) {
    yield {
      type: 'episode_start',
      episodeId: cfg.episodeId,
      at: now(),
      policy: cfg.env.policy,
      meta: {
        ...cfg.meta,
        actor: cfg.meta.actor ?? cfg.actor.label,
        ...(critic ? { critic: cfg.meta.critic ?? critic.label } : {}),
        mode: critic ? cfg.mode : 'off',
        maxRevisions: cfg.maxRevisions,
        failureRule: cfg.failureRule,
        userKind: cfg.user.kind,
      },
    };
  }

  const end = async (outcome: Outcome, error?: string): Promise<LoopEvent> => {
    let reward: number | undefined;
    let rewardDetails: Record<string, unknown> | undefined;
    if (cfg.env.reward) {
      if (outcome === 'done') {
        try {
          const r = await cfg.env.reward(agentMessages);
          reward = r.reward;
          rewardDetails = r.details;
        } catch (err) {
          reward = 0;
          rewardDetails = { error: errorMessage(err) };
        }
      } else {
        // As in tau-bench: an episode that did not end by itself scores 0.
        reward = 0;
      }
    }
    return {
      type: 'episode_end',
      at: now(),
      outcome,
      ...(reward !== undefined ? { reward } : {}),
      ...(rewardDetails ? { rewardDetails } : {}),
      ...(error ? { error } : {}),
    };
  };

  const userSays = (turn: UserTurn): LoopEvent => {
    const entry = { type: 'user', content: turn.content, at: now() } as const;
    timeline.push(entry);
    return entry;
  };

  /**
   * Tells of a failed call and waits for the person's choice; throws the
   * error when there is no one to ask (headless), on Stop, or on End.
   */
  async function* failed(err: unknown, stepIndex: number, side: 'actor' | 'user'): AsyncGenerator<LoopEvent, TurnRecovery, undefined> {
    if (isAbort(err, signal) || !cfg.recover) throw err;
    yield {
      type: 'turn_failed',
      stepIndex,
      ...(side === 'user' ? { side } : {}),
      error: errorMessage(err),
      ...(err instanceof SpotterError ? { code: err.code } : {}),
      ...(err instanceof ProviderError && err.status !== undefined ? { status: err.status } : {}),
    };
    const choice = await cfg.recover(signal);
    if (choice.kind === 'end') throw err;
    return choice;
  }

  /**
   * The user's turn (`stepIndex`: the step it leads to). A simulated user
   * whose model call fails is asked again on Retry, like the actor, when it
   * can be (`retrySafe`): the entry is stored only once it is said, so no gap
   * and no duplicate.
   */
  async function* userTurn(ask: (onTool: OnUserTool) => Promise<UserTurn>, stepIndex: number): AsyncGenerator<LoopEvent, UserTurn, undefined> {
    for (;;) {
      try {
        // The user's own tool calls (τ³ telecom's phone) are stored as they run, before the turn's message.
        return yield* streamWhile<LoopEvent, UserTurn>((emit) =>
          ask((use) => {
            const entry = { type: 'user_tool', call: structuredClone(use.call), observation: use.observation, error: use.error, at: now() } as const;
            timeline.push(entry);
            emit(entry);
          }),
        );
      } catch (err) {
        if (!cfg.user.retrySafe) throw err;
        // Edit and resend has no message of the person's to edit here: any choice but End asks again.
        yield* failed(err, stepIndex, 'user');
      }
    }
  }

  try {
    let startIndex = 0;
    let awaitingReplyTo: string | undefined;
    if (cfg.resume) {
      // The user side hears the conversation in the order it happened (UserSide.replay); the agent's tool calls rerun on the env.
      for (const entry of cfg.resume) {
        timeline.push(structuredClone(entry));
        if (entry.type === 'user') {
          cfg.user.replay?.({ kind: 'user', content: entry.content });
          awaitingReplyTo = undefined;
          continue;
        }
        if (entry.type === 'user_tool') {
          // Made while the user was answering: the agent's message still awaits that answer.
          cfg.user.replay?.({ kind: 'user_tool', call: entry.call, observation: entry.observation, error: entry.error });
          continue;
        }
        startIndex = entry.step.index + 1;
        const executed = entry.step.executed;
        if (executed.kind === 'tool_call') await cfg.env.execute(executed.call, signal);
        else {
          agentMessages.push(executed.content);
          cfg.user.replay?.({ kind: 'agent', content: executed.content });
        }
        awaitingReplyTo = executed.kind === 'message' ? executed.content : undefined;
      }
    } else {
      // As tau-bench's Env.reset: the first user message never ends the episode, even one with ###STOP###; the agent always acts.
      yield userSays(yield* userTurn((onTool) => cfg.user.first(signal, onTool), 0));
    }
    if (awaitingReplyTo !== undefined) {
      const agentMessage = awaitingReplyTo;
      const turn = yield* userTurn((onTool) => cfg.user.reply(agentMessage, signal, onTool), startIndex);
      yield userSays(turn);
      if (turn.stop) {
        yield await end('done');
        return;
      }
    }

    /** One step's proposals and verdicts up to the action that runs; throws when the actor fails. */
    async function* decide(stepIndex: number, critic: Critic | undefined): AsyncGenerator<LoopEvent, { proposals: Proposal[]; flagged: boolean; chosen: Action }, undefined> {
      const history = historyFromTimeline(timeline);
      const proposals: Proposal[] = [];
      const rejected: Array<{ action: Action; feedback: string }> = [];
      let flagged = false;
      let chosen: Action | undefined;

      for (let attempt = 0; attempt <= cfg.maxRevisions; attempt++) {
        if (critic) prepareCritic(critic, { policy: cfg.env.policy, tools: cfg.env.tools, history, previousAttempts: [...rejected] }, cfg.criticTimeoutMs, signal);
        const revisionContext = rejected.flatMap((r) => revisionMessages(r.action, r.feedback));
        const request: ActorRequest = {
          system: cfg.env.policy,
          messages: [...history, ...revisionContext],
          tools: cfg.env.tools,
          ...(cfg.env.toolChoice ? { toolChoice: cfg.env.toolChoice } : {}),
        };
        // Streamed text comes out as events, in order, while the actor still writes.
        const reply = yield* streamWhile<LoopEvent, ActorReply>((emit) =>
          cfg.actor.propose(request, signal, (text) => emit({ type: 'actor_delta', stepIndex, attempt, text })),
        );
        const proposal: Proposal = {
          attempt,
          action: reply.action,
          latencyMs: reply.latencyMs,
          ...(reply.usage ? { usage: reply.usage } : {}),
        };
        proposals.push(proposal);
        yield { type: 'proposal', stepIndex, proposal: structuredClone(proposal) };
        chosen = reply.action;
        if (!critic) break;

        const verdict = await judgeSafely(
          critic,
          { policy: cfg.env.policy, tools: cfg.env.tools, history, proposal: reply.action, previousAttempts: [...rejected] },
          cfg.criticTimeoutMs,
          signal,
          now,
        );
        proposal.verdict = verdict;
        yield { type: 'verdict', stepIndex, attempt, verdict };

        if (cfg.mode === 'monitor' || !objects(verdict, cfg.failureRule)) break;
        if (attempt === cfg.maxRevisions) {
          flagged = true;
          break;
        }
        rejected.push({ action: reply.action, feedback: feedbackOf(verdict) });
      }
      if (!chosen) throw new Error('No proposal'); // unreachable: the attempt loop runs at least once
      return { proposals, flagged, chosen };
    }

    for (let stepIndex = startIndex; stepIndex < cfg.maxSteps; stepIndex++) {
      let startedAt = now();
      let decided: { proposals: Proposal[]; flagged: boolean; chosen: Action } | undefined;
      while (!decided) {
        try {
          decided = yield* decide(stepIndex, critic);
        } catch (err) {
          // The step is not stored until it completes, so a retry leaves no gap and no duplicate in the trace.
          const choice = yield* failed(err, stepIndex, 'actor');
          const last = timeline.at(-1);
          if (choice.kind === 'edit' && last?.type === 'user') {
            const edited = { type: 'user', content: choice.text, at: now() } as const;
            timeline[timeline.length - 1] = edited;
            yield { ...edited, type: 'user_edit' };
          }
          startedAt = now();
        }
      }
      const { proposals, flagged, chosen } = decided;

      let observation: string | null = null;
      let endsEpisode = false;
      let scored: Pick<Step, 'reward' | 'envInfo'> = {};
      if (chosen.kind === 'tool_call') {
        try {
          const result = await cfg.env.execute(chosen.call, signal);
          observation = result.observation;
          endsEpisode = result.endsEpisode === true;
          scored = {
            ...(result.reward !== undefined ? { reward: result.reward } : {}),
            ...(result.info ? { envInfo: result.info } : {}),
          };
        } catch (err) {
          if (isAbort(err, signal)) throw err;
          observation = `Error: ${errorMessage(err)}`;
        }
      } else {
        agentMessages.push(chosen.content);
      }

      const step: Step = { index: stepIndex, proposals, executed: chosen, flagged, observation, ...scored, startedAt, endedAt: now() };
      timeline.push({ type: 'step', step });
      yield { type: 'step', step: structuredClone(step) };

      if (endsEpisode) {
        yield await end('done');
        return;
      }
      if (chosen.kind === 'message') {
        const agentMessage = chosen.content;
        const turn = yield* userTurn((onTool) => cfg.user.reply(agentMessage, signal, onTool), stepIndex + 1);
        yield userSays(turn);
        if (turn.stop) {
          yield await end('done');
          return;
        }
      }
    }
    yield await end('max_steps');
  } catch (err) {
    if (isAbort(err, signal)) {
      yield await end('aborted');
      return;
    }
    yield await end('error', errorMessage(err));
  }
}
