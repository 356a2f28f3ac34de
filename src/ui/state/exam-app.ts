/**
 * The Exam tab's ties to the rest of the app: which critic it grades (the
 * active one, through the one factory), where the sets' data comes from (the
 * chat's tau-bench pack and the historical GPT-4o file beside it), and the
 * grader. The heavy parts load when first used.
 */
import type { Critic } from '../../lib/critic/critic-interface.ts';
import { quantOf } from '../../lib/engines/webllm-models.ts';
import { SpotterError } from '../../lib/errors.ts';
import type { CriticDescriptor } from '../../lib/exam/results.ts';
import { ExamStore } from '../../lib/exam/store.ts';
import { buildCritic } from '../../lib/setup/factory.ts';
import { setupProblems } from '../../lib/setup/setup-problems.ts';
import type { AppState } from './app.svelte.ts';
import type { ExamDeps } from './exam.svelte.ts';
import type { WatchSources } from './exam-watch.svelte.ts';
import type { ExamData } from './exam-sets.ts';

/** The active critic and its description for the comparison table. */
export function activeExamCritic(app: AppState): { critic: Critic; about: CriticDescriptor } {
  const st = app.settings;
  const loader = app.criticLoader;
  if (st.criticEngine === 'local') {
    const info = loader.loadInfo;
    const critic = buildCritic(
      { engine: 'local', model: app.localCritic?.label ?? 'in-browser critic' },
      { base: st.criticConfig, loaded: app.localCritic, notLoaded: 'No critic is loaded: load the recommended one above, or one in the Critic tab.' },
    );
    if (!info) throw new SpotterError('not-loaded', 'No critic is loaded: load the recommended one above, or one in the Critic tab.');
    const a = loader.caps?.adapter;
    const adapter = info.device === 'webgpu' && a ? [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') || undefined : undefined;
    const quantization = info.dtype ?? quantOf(info.model);
    const window = info.contextWindow ?? critic.contextWindow;
    return {
      critic,
      about: {
        label: critic.label,
        model: info.model,
        engine: info.engine,
        device: info.device,
        ...(adapter ? { adapter } : {}),
        ...(quantization ? { quantization } : {}),
        ...(window ? { contextWindow: window } : {}),
      },
    };
  }
  // A remote critic is ready when its setup is complete (the Chat tab's preflight: address, model, key unless on this machine).
  const cfg = st.criticConfig;
  const problem = setupProblems({ actor: { engine: 'local', loaded: true }, critic: { engine: st.critic.kind, remote: { baseUrl: cfg.baseUrl, model: cfg.model, apiKey: cfg.apiKey } } })[0];
  if (problem) throw new SpotterError('not-loaded', `No critic is ready: load the recommended one above or one in the Critic tab (the remote critic is not set up: ${problem.message})`);
  const spec = { engine: st.critic.kind, model: st.critic.model, baseUrl: st.critic.baseUrl } as const;
  const critic = buildCritic(spec, { base: st.criticConfig, client: { fetch: app.requests.fetchFor('critic') } });
  return {
    critic,
    about: {
      label: critic.label,
      model: st.critic.model,
      engine: spec.engine,
      device: 'remote',
      ...(critic.contextWindow ? { contextWindow: critic.contextWindow } : {}),
    },
  };
}

/** One ExamData (and so one exam worker) per app, shared by the exam and the watch view. */
const data = new WeakMap<AppState, Promise<ExamData>>();
function examData(app: AppState): Promise<ExamData> {
  let d = data.get(app);
  if (!d) {
    d = import('./exam-sets.ts').then(({ ExamData }) => new ExamData(app));
    data.set(app, d);
  }
  return d;
}

export function examDeps(app: AppState): ExamDeps {
  return {
    store: new ExamStore(),
    items: async (set, onProgress) => (await examData(app)).set(set, onProgress),
    critic: () => activeExamCritic(app),
    grade: async (call) => {
      const { gradeExam } = await import('../../lib/exam/grade.ts');
      return gradeExam(call);
    },
    timeoutMs: () => app.settings.criticTimeoutS * 1000,
  };
}

export function watchSources(app: AppState): WatchSources {
  return {
    episodes: async (onProgress) => (await examData(app)).episodes(onProgress),
    episode: async (id, onProgress) => (await examData(app)).episode(id, onProgress),
    critic: () => activeExamCritic(app).critic,
    timeoutMs: () => app.settings.criticTimeoutS * 1000,
  };
}

/** A set's items as JSONL (the Exam tab's export). */
export async function examSetJsonl(app: AppState, name: string): Promise<{ text: string; count: number }> {
  return (await examData(app)).jsonl(name);
}
