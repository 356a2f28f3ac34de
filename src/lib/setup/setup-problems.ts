/**
 * What would make an episode fail before it starts, found before anything is
 * sent: a missing API key, a base URL that is no URL, an empty model name, an
 * in-browser model picked but not loaded. Each problem names the setup field
 * it belongs next to (the field's `name` in the Setup panel).
 */

import type { RemoteEngine } from '../contracts.ts';

interface RemoteSetup {
  baseUrl: string;
  model: string;
  apiKey: string;
}

interface SendSetup {
  actor: ModelSetup;
  /** Absent when the critic is off. */
  critic?: ModelSetup;
}

/** A model behind a provider's API (its engine, of the one vocabulary), or the one loaded in this browser. */
type ModelSetup = { engine: RemoteEngine; remote: RemoteSetup } | { engine: 'local'; loaded: boolean };

export interface SetupProblem {
  /** The field it belongs to: `actor-key`, `critic-base-url`, `local-actor-model`, `active-critic`, … */
  field: string;
  message: string;
}

/** Servers on this machine (Ollama, vLLM, LM Studio) usually take no key. */
function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.|^0\.0\.0\.0$/.test(url.hostname);
}

function remoteProblems(who: 'actor' | 'critic', r: RemoteSetup): SetupProblem[] {
  const out: SetupProblem[] = [];
  let url: URL | undefined;
  try {
    url = new URL(r.baseUrl.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') url = undefined;
  } catch {
    url = undefined;
  }
  if (!url) out.push({ field: `${who}-base-url`, message: `The ${who}'s base URL is not a web address (for example https://api.openai.com/v1).` });
  if (!r.model.trim()) out.push({ field: `${who}-model`, message: `Name the ${who}'s model.` });
  if (!r.apiKey.trim() && !(url && isLoopback(url))) {
    out.push({ field: `${who}-key`, message: `The ${who} needs an API key from its provider (a server on this machine needs none).` });
  }
  return out;
}

export function setupProblems(s: SendSetup): SetupProblem[] {
  const out: SetupProblem[] = [];
  if (s.actor.engine !== 'local') out.push(...remoteProblems('actor', s.actor.remote));
  else if (!s.actor.loaded) out.push({ field: 'local-actor-model', message: 'The in-browser actor is not loaded: load the model first (Setup → Actor → Load), or pick the remote provider.' });
  if (s.critic === undefined) return out;
  if (s.critic.engine !== 'local') out.push(...remoteProblems('critic', s.critic.remote));
  else if (!s.critic.loaded) {
    out.push({ field: 'active-critic', message: 'The in-browser critic is not loaded (a reload unloads it): load it again in the Critic tab, or switch to the remote critic there.' });
  }
  return out;
}
