/**
 * The model specs a benchmark run stores, from the person's choices: which
 * actor the settings pick, the simulated user, and each configuration's critic.
 * Pure, so the Benchmark tab only forwards its fields here.
 */
import type { ProviderConfig } from '../actor/provider.ts';
import type { CriticMode, ModelEngine } from '../contracts.ts';
import type { ModelSpec } from './specs.ts';

/** A provider model as the settings hold it (no key needed here). */
type ProviderChoice = Pick<ProviderConfig, 'kind' | 'model' | 'baseUrl'>;
/** What the spec of a loaded in-browser model records of it. */
interface LoadedModel {
  readonly label: string;
  readonly contextWindow?: number | undefined;
}

export function remoteSpec(p: ProviderChoice, model = p.model): ModelSpec {
  return { engine: p.kind, model, baseUrl: p.baseUrl };
}

/** The agent: the in-browser actor when the settings pick it (it must be loaded), else the actor's provider model. */
export function runActorSpec(choice: { actorEngine: ModelEngine; actor: ProviderChoice }, localActor: LoadedModel | undefined): ModelSpec {
  if (choice.actorEngine !== 'local') return remoteSpec(choice.actor);
  if (!localActor) throw new Error('The in-browser actor is not loaded: load it in the Setup panel (Chat tab), or pick the remote provider.');
  return { engine: 'local', model: localActor.label };
}

/** The simulated user: a local actor plays it too (one engine on the device); a remote one may name another model (UserBench: gpt-4o). */
export function runUserSpec(actor: ModelSpec, userModel: string, userBench: boolean): ModelSpec {
  return actor.engine === 'local' ? actor : { ...actor, model: userModel || (userBench ? 'gpt-4o' : actor.model) };
}

/** A configuration's critic: none when off; the loaded in-browser one (with its window), or the critic endpoint (its API style) with the row's model. */
export function runCriticSpec(
  row: { mode: CriticMode; onDevice: boolean; model: string },
  critic: ProviderChoice,
  localCritic: LoadedModel | undefined,
): ModelSpec | undefined {
  if (row.mode === 'off') return undefined;
  if (!row.onDevice) return remoteSpec(critic, row.model || critic.model);
  if (!localCritic) return undefined;
  const window = localCritic.contextWindow;
  return { engine: 'local', model: localCritic.label, ...(window ? { contextWindow: window } : {}) };
}
