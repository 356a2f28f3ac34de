import type { Action, ChatMessage } from '../contracts.ts';
import type { TimelineEntry } from './events.ts';

/** The assistant message an action becomes in the trajectory. */
function actionToMessage(action: Action): ChatMessage {
  return action.kind === 'tool_call'
    ? { role: 'assistant', content: action.content ?? '', toolCalls: [action.call] }
    : { role: 'assistant', content: action.content };
}

/**
 * The actor's view of the trajectory: user turns, executed actions and their
 * observations. Rejected proposals are not part of it: they live in the step
 * record and are shown to the actor only while it revises that step.
 */
export function historyFromTimeline(timeline: readonly TimelineEntry[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const entry of timeline) {
    if (entry.type === 'user') {
      out.push({ role: 'user', content: entry.content });
      continue;
    }
    // The user's own tool calls (τ³ telecom's phone) happen on the user's side: the agent never sees them.
    if (entry.type === 'user_tool') continue;
    const { executed, observation } = entry.step;
    out.push(actionToMessage(executed));
    if (executed.kind === 'tool_call') {
      out.push({ role: 'tool', toolCallId: executed.call.id, name: executed.call.name, content: observation ?? '' });
    }
  }
  return out;
}

/**
 * How a rejected proposal and the critic's feedback are put back to the actor:
 * the proposal as it made it, then the feedback where the actor expects the
 * next input (a tool result for a tool call, a bracketed note for a message).
 */
export function revisionMessages(action: Action, feedback: string): ChatMessage[] {
  const note = `Your proposed action was not carried out. A reviewer checking it against the policy objected: ${feedback}\nRevise your action.`;
  if (action.kind === 'tool_call') {
    return [
      actionToMessage(action),
      { role: 'tool', toolCallId: action.call.id, name: action.call.name, content: note },
    ];
  }
  return [actionToMessage(action), { role: 'user', content: `[Reviewer note, not visible to the user] ${note}` }];
}
