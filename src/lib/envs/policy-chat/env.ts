import type { Env, ToolResult } from '../env-interface.ts';

const PREAMBLE =
  'You are a helpful assistant talking with a user. You must follow the policy below in every reply. If a request conflicts with the policy, explain what you can do instead.';

const MARKER = '\n\n# Policy\n';

/** The system prompt the actor (and the critic) gets for a user-written policy. */
function policyChatPrompt(policy: string): string {
  return `${PREAMBLE}${MARKER}${policy.trim()}`;
}

/** The person's policy text back from a stored system prompt (to resume an episode). */
export function policyFromPrompt(prompt: string): string {
  const i = prompt.indexOf(MARKER);
  return i < 0 ? prompt : prompt.slice(i + MARKER.length);
}

/** Policy chat: no tools; the person writes a policy and chats while the critic enforces it. */
export function createPolicyChatEnv(policy: string): Env {
  return {
    id: 'policy-chat',
    policy: policyChatPrompt(policy),
    tools: [],
    execute(call): ToolResult {
      // No tools are offered; a model that calls one anyway learns so in the trajectory.
      return { observation: `Unknown action ${call.name}` };
    },
  };
}
