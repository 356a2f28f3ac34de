/**
 * One small call to each remote model a run uses (agent, simulated user,
 * remote critics, τ³'s NL judge) before its first episode, so a wrong key, URL or model
 * stops the run with one clear message instead of 60 errored episodes.
 */
import { explainError, errorFacts } from '../error-reason.ts';
import { AbortedError, SpotterError, errorMessage } from '../errors.ts';
import type { ModelSpec } from '../setup/specs.ts';
import type { RunSpec } from './plan.ts';
import type { BenchFactories } from './runner.ts';

/** The check's system prompt (test doubles recognise the call by it). */
export const PREFLIGHT_PROMPT = 'This is a connection check. Reply with the word OK.';

interface Check {
  role: 'agent' | 'user' | 'critic' | 'judge';
  spec: ModelSpec;
}

/** The remote models of a run, each endpoint and model once. */
function preflightChecks(spec: RunSpec): Check[] {
  const all: Check[] = [
    { role: 'agent', spec: spec.actor },
    { role: 'user', spec: spec.user },
    // τ³'s NL judge runs on the user's side (its provider), at the end of an episode: a bad one would fail them all.
    ...(spec.nlJudge ? [{ role: 'judge' as const, spec: spec.nlJudge }] : []),
    ...spec.configurations.flatMap((c): Check[] => (c.mode !== 'off' && c.critic ? [{ role: 'critic', spec: c.critic }] : [])),
  ];
  const seen = new Set<string>();
  return all.filter((c) => {
    if (c.spec.engine === 'local') return false;
    const key = `${c.spec.engine} ${c.spec.baseUrl ?? ''} ${c.spec.model}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function preflight(spec: RunSpec, factories: Pick<BenchFactories, 'buildActor'>, signal: AbortSignal): Promise<void> {
  await Promise.all(
    preflightChecks(spec).map(async ({ role, spec: m }) => {
      try {
        const actor = await factories.buildActor(m, role === 'user' || role === 'judge' ? 'user' : 'agent', 0);
        await actor.propose({ system: PREFLIGHT_PROMPT, messages: [{ role: 'user', content: 'OK?' }], tools: [] }, signal);
      } catch (err) {
        if (signal.aborted) throw new AbortedError();
        const why = explainError(errorFacts(err));
        throw new SpotterError(
          'preflight',
          `Pre-flight check failed, so no episode was started: the ${role} model ${m.model}${m.baseUrl ? ` at ${m.baseUrl}` : ''} did not answer. ${why.why} ${why.todo} (${errorMessage(err)})`,
        );
      }
    }),
  );
}
