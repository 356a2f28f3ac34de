import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../contracts.ts';
import {
  buildCriticPrompt,
  extendsHistory,
  incrementalSystemPrompt,
  nextCriticConversation,
  renderConversation,
  renderMessage,
  withVerdict,
  type CriticConversation,
} from './prompt.ts';
import type { CriticInput } from './critic-interface.ts';

const tools: CriticInput['tools'] = [{ type: 'function', function: { name: 'get_order', description: 'Look up an order', parameters: {} } }];

/** History after `n` steps: each step adds a user message, a tool call and its result. */
function historyAt(n: number): ChatMessage[] {
  const h: ChatMessage[] = [];
  for (let i = 0; i < n; i++) {
    h.push({ role: 'user', content: `question ${i}` });
    h.push({ role: 'assistant', content: '', toolCalls: [{ id: `c${i}`, name: 'get_order', arguments: { id: i } }] });
    h.push({ role: 'tool', name: 'get_order', toolCallId: `c${i}`, content: `{"order":${i}}` });
  }
  return h;
}

const inputAt = (n: number, over: Partial<CriticInput> = {}): CriticInput => ({
  policy: 'Refunds need confirmation.',
  tools,
  history: historyAt(n),
  proposal: { kind: 'message', content: `answer ${n}` },
  previousAttempts: [],
  ...over,
});

describe('nextCriticConversation', () => {
  it('starts with a stable system turn (instructions, policy, tools) and one user turn holding the whole conversation', () => {
    const { messages, state, extended } = nextCriticConversation(undefined, inputAt(1));
    expect(extended).toBe(false);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toEqual({ role: 'system', content: incrementalSystemPrompt(inputAt(1)) });
    expect(messages[0]?.content).toContain('# Policy\nRefunds need confirmation.');
    expect(messages[0]?.content).toContain('- get_order: Look up an order');
    expect(messages[1]?.content).toBe(`# Conversation so far\n${renderConversation(historyAt(1))}\n\n# Proposed next action\nMessage to the user:\nanswer 1\n\nYour verdict as JSON:`);
    expect(state.history).toEqual(historyAt(1));
  });

  it('over a 5-step episode, each request is the previous one plus its verdict plus a user turn with exactly the new messages', () => {
    let prev: CriticConversation | undefined;
    let prevMessages: CriticConversation['messages'] = [];
    const newParts: string[] = [];
    for (let step = 1; step <= 5; step++) {
      const next = nextCriticConversation(prev, inputAt(step));
      const verdict = `{"decision": "approve", "step": ${step}}`;
      if (step > 1) {
        expect(next.extended).toBe(true);
        expect(next.messages.slice(0, -1)).toEqual([...prevMessages, { role: 'assistant', content: `{"decision": "approve", "step": ${step - 1}}` }]);
        const fresh = historyAt(step).slice(historyAt(step - 1).length);
        expect(next.messages.at(-1)?.content).toBe(
          `# Conversation since your previous verdict\n${fresh.map(renderMessage).join('\n')}\n\n# Proposed next action\nMessage to the user:\nanswer ${step}\n\nYour verdict as JSON:`,
        );
      }
      const last = next.messages.at(-1)?.content ?? '';
      newParts.push(last.slice(last.indexOf('\n') + 1, last.indexOf('\n\n# Proposed')));
      prevMessages = next.messages;
      prev = withVerdict(next.state, verdict);
    }
    // Same information as the single-turn prompt: the turns together hold the full conversation, in order.
    expect(newParts.join('\n')).toBe(renderConversation(historyAt(5)));
    expect(buildCriticPrompt(inputAt(5)).user).toContain(newParts.join('\n'));
  });

  it('a revision at the same point extends with nothing new, the rejected attempts and the new proposal', () => {
    const first = nextCriticConversation(undefined, inputAt(2));
    const prev = withVerdict(first.state, '{"decision": "revise", "feedback": "confirm first"}');
    const retry = nextCriticConversation(prev, inputAt(2, { proposal: { kind: 'message', content: 'confirm?' }, previousAttempts: [{ action: { kind: 'message', content: 'answer 2' }, feedback: 'confirm first' }] }));
    expect(retry.extended).toBe(true);
    expect(retry.messages.at(-1)?.content).toBe(
      '# Conversation since your previous verdict\n(nothing new)\n\n# Earlier proposals for this step, already rejected\n1. Message to the user:\nanswer 2\n   Feedback: confirm first\n\n# Proposed next action\nMessage to the user:\nconfirm?\n\nYour verdict as JSON:',
    );
  });

  it('starts a fresh chat when the history does not extend the previous one, the policy or tools change, or no reply was recorded', () => {
    const prev = withVerdict(nextCriticConversation(undefined, inputAt(3)).state, '{"decision": "approve"}');
    const edited = historyAt(4);
    edited[1] = { role: 'user', content: 'edited' };
    const cases: CriticInput[] = [inputAt(1), inputAt(4, { history: edited }), inputAt(4, { policy: 'other policy' }), inputAt(4, { tools: [] })];
    for (const input of cases) {
      const next = nextCriticConversation(prev, input);
      expect(next.extended).toBe(false);
      expect(next.messages).toHaveLength(2);
      expect(next.messages[1]?.content.startsWith(`# Conversation so far\n${renderConversation(input.history)}`)).toBe(true);
    }
    const unanswered = nextCriticConversation(undefined, inputAt(3)).state;
    expect(nextCriticConversation(unanswered, inputAt(4)).extended).toBe(false);
  });

  it('compares history messages by value, field by field', () => {
    expect(extendsHistory(historyAt(1), historyAt(2))).toBe(true);
    expect(extendsHistory(historyAt(2), historyAt(1))).toBe(false);
    const changedArgs = historyAt(2);
    changedArgs[1] = { role: 'assistant', content: '', toolCalls: [{ id: 'c0', name: 'get_order', arguments: { id: 99 } }] };
    expect(extendsHistory(historyAt(1), changedArgs)).toBe(false);
  });
});
