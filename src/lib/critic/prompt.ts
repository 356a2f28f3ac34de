import type { Action, ChatMessage } from '../types.ts';
import type { CriticInput } from './types.ts';

export const CRITIC_SYSTEM_PROMPT = `You are a critic supervising a customer-service AI agent. Before each of the agent's actions takes effect, you check it against the policy and the conversation so far.

Approve the action unless it clearly breaks the policy, acts without required confirmation or verification, uses wrong or unverified arguments, contradicts facts in the conversation, or misleads the user.

Answer with one JSON object and nothing else, with the decision first:
{"decision": "approve"}
or
{"decision": "revise", "category": "<short problem label>", "feedback": "<what is wrong and what the agent should do instead>"}`;

export function renderAction(a: Action): string {
  if (a.kind === 'message') return `Message to the user:\n${a.content}`;
  return `Tool call: ${a.call.name}(${JSON.stringify(a.call.arguments)})`;
}

export function renderMessage(m: ChatMessage): string {
  switch (m.role) {
    case 'user':
      return `USER: ${m.content}`;
    case 'assistant': {
      const calls = (m.toolCalls ?? []).map((c) => `AGENT calls ${c.name}(${JSON.stringify(c.arguments)})`);
      return [m.content ? `AGENT: ${m.content}` : '', ...calls].filter(Boolean).join('\n');
    }
    case 'tool':
      return `TOOL ${m.name} returned: ${m.content}`;
  }
}

/** The tool list as the critic sees it; '' when the agent has no tools. */
export function renderToolsSection(tools: CriticInput['tools']): string {
  const list = tools.map((t) => `- ${t.function.name}: ${t.function.description ?? ''}`).join('\n');
  return list ? `# Tools available to the agent\n${list}` : '';
}

/** The line that stands for the oldest messages when a prompt budget left them out. */
export const omittedMessagesMarker = (n: number): string => `(${n} earlier messages left out to fit the critic's context window)`;

/** Conversation lines, one rendered message after another (messages that render empty are skipped); `omitted` earlier messages become one marker line. */
export function renderConversation(history: ChatMessage[], omitted = 0): string {
  const lines = history.map(renderMessage).filter(Boolean);
  return (omitted > 0 ? [omittedMessagesMarker(omitted), ...lines] : lines).join('\n');
}

/** The rejected proposals of this step with their feedback; '' when there are none. */
export function renderAttemptsSection(attempts: CriticInput['previousAttempts']): string {
  if (attempts.length === 0) return '';
  return `# Earlier proposals for this step, already rejected\n${attempts
    .map((p, i) => `${i + 1}. ${renderAction(p.action)}\n   Feedback: ${p.feedback}`)
    .join('\n')}`;
}

export const renderPolicySection = (policy: string): string => `# Policy\n${policy}`;

export const renderProposalSection = (proposal: Action): string => `# Proposed next action\n${renderAction(proposal)}`;

export const VERDICT_REQUEST = 'Your verdict as JSON:';

/** Headings of the conversation section: the whole of it, or (incremental chat) what is new since the previous verdict. */
export const CONVERSATION_HEADING = '# Conversation so far';
export const LATER_CONVERSATION_HEADING = '# Conversation since your previous verdict';

/**
 * The exact text a critic sees at one decision point. Training examples are
 * built with this same function, so a fine-tuned critic sees at run time what
 * it saw in training. The history comes before the proposal so that, step
 * after step, prompts share their prefix and engines can reuse the KV cache.
 * `omitted` is set by the prompt budget (budget.ts) when it left out the
 * oldest messages; `input.history` then holds only the rest.
 */
export function buildCriticPrompt(input: CriticInput, omitted = 0): { system: string; user: string } {
  const parts = [
    renderPolicySection(input.policy),
    renderToolsSection(input.tools),
    `${CONVERSATION_HEADING}\n${renderConversation(input.history, omitted) || '(empty)'}`,
    renderAttemptsSection(input.previousAttempts),
    renderProposalSection(input.proposal),
    VERDICT_REQUEST,
  ];
  return { system: CRITIC_SYSTEM_PROMPT, user: parts.filter(Boolean).join('\n\n') };
}
