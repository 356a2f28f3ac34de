import { tool } from '../../toolkit.ts';

export const transferToHumanAgents = tool({
  name: 'transfer_to_human_agents',
  params: ['summary'],
  required: ['summary'],
  type: 'generic',
  schema: {
    description: "Transfer the user to a human agent, with a summary of the user's issue.\n\nOnly transfer if\n -  the user explicitly asks for a human agent\n -  given the policy and the available tools, you cannot solve the user's issue.",
    parameters: {
      properties: { summary: { description: "A summary of the user's issue.", title: 'Summary', type: 'string' } },
      required: ['summary'],
      title: 'parameters',
      type: 'object',
    },
  },
  call: () => 'Transfer successful',
});
