import { describe, expect, it } from 'vitest';
import type { Actor, ActorRequest } from '../../actor/actor-interface.ts';
import { OPENING, SimulatedUser, userSystemPrompt } from './user.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const TEMPLATE = readFileSync(path.resolve(process.cwd(), '..', 'shared', 'tau-bench', 'user_simulator_prompt.txt'), 'utf8');

/** The original's LLMUserSimulationEnv.build_system_prompt, transcribed from user.py. */
function originalPrompt(instruction: string): string {
  const display = '\n\nInstruction: ' + instruction + '\n';
  return `You are a user interacting with an agent.${display}
Rules:
- Just generate one line at a time to simulate the user's message.
- Do not give away all the instruction at once. Only provide the information that is necessary for the current step.
- Do not hallucinate information that is not provided in the instruction. For example, if the agent asks for the order id but it is not mentioned in the instruction, do not make up an order id, just say you do not remember or have it.
- If the instruction goal is satisified, generate '###STOP###' as a standalone message without anything else to end the conversation.
- Do not repeat the exact instruction in the conversation. Instead, use your own words to convey the same information.
- Try to make the conversation as natural as possible, and stick to the personalities in the instruction.`;
}

/** Stands in for the remote LLM: replies from a script and records each request. */
class ScriptedActorDouble implements Actor {
  readonly label = 'scripted';
  readonly requests: ActorRequest[] = [];
  constructor(private readonly replies: string[]) {}
  async propose(request: ActorRequest) {
    this.requests.push(structuredClone(request));
    const content = this.replies.shift() ?? '';
    return { action: { kind: 'message' as const, content }, latencyMs: 1 };
  }
}

describe('SimulatedUser', () => {
  it('builds exactly the original system prompt from the pack template', () => {
    const instruction = 'You are Yusuf Rossi in 19122. Use $1 and {braces}.';
    expect(userSystemPrompt(TEMPLATE, instruction)).toBe(originalPrompt(instruction));
    // A template written like the original f-string gets the same result.
    expect(userSystemPrompt('You are a user interacting with an agent.{instruction}\nRules:', 'X')).toBe(
      'You are a user interacting with an agent.\n\nInstruction: X\n\nRules:',
    );
  });

  it('opens with the agent greeting, flips roles, offers no tools, and stops on ###STOP###', async () => {
    const llm = new ScriptedActorDouble(['Hi, I want to cancel an order.', 'Yes please. ###STOP###']);
    const user = new SimulatedUser(llm, TEMPLATE, 'Cancel order #W1.');
    const signal = new AbortController().signal;

    const first = await user.first(signal);
    expect(first).toEqual({ content: 'Hi, I want to cancel an order.', stop: false });
    expect(llm.requests[0]?.messages).toEqual([{ role: 'user', content: OPENING }]);
    expect(llm.requests[0]?.tools).toEqual([]);
    expect(llm.requests[0]?.system).toBe(originalPrompt('Cancel order #W1.'));

    const second = await user.reply('Shall I cancel #W1?', signal);
    expect(second.stop).toBe(true);
    expect(llm.requests[1]?.messages).toEqual([
      { role: 'user', content: OPENING },
      { role: 'assistant', content: 'Hi, I want to cancel an order.' },
      { role: 'user', content: 'Shall I cancel #W1?' },
    ]);
  });
});
