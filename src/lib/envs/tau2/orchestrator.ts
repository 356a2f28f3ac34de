/**
 * The original orchestrator's opening (src/tau2/orchestrator at a2c0247):
 * apart from the user simulator so the app's page can name it without
 * loading the environments (the person's seat reads it too).
 */

/** The orchestrator's DEFAULT_FIRST_AGENT_MESSAGE: what the user answers first. */
export const FIRST_AGENT_MESSAGE = 'Hi! How can I help you today?';
