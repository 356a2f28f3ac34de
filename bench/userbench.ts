/**
 * Timings for `npm run bench`: loading the eight upstream data files at their
 * real size (synthesised from the three samples, since the files are not
 * shipped) and the gym's own cost per step with instant scripted LLM texts.
 */
import { median as medianOrNull } from '../src/lib/percentiles.ts';
import { parseJson } from '../src/lib/envs/tau-bench/py.ts';
import { TravelGym } from '../src/lib/envs/userbench/gym.ts';
import { ScriptedTravelLlm } from '../src/lib/envs/userbench/llm.ts';
import { DATA_SUFFIXES, loadPrompts, loadScenarios } from '../src/lib/envs/userbench/pack.ts';
import { defaultUserBenchDir, nodePackSource } from '../src/lib/envs/userbench/pack-node.ts';
import { loadTasks } from '../src/lib/envs/userbench/task.ts';
import { SAMPLES, synthesizeDataFiles } from '../tests/fixtures/userbench-data.ts';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** `perFile` scenarios in each of the eight files (each upstream file is at least 4 MiB). */
export async function benchUserBench(dir: string = defaultUserBenchDir(), perFile = 120): Promise<Record<string, number>> {
  const texts = (await synthesizeDataFiles(dir, perFile)).map((f) => f.text);
  const t0 = performance.now();
  const files = texts.map((text, i) => ({ file: `travelgym_data_${DATA_SUFFIXES[i]}.json`, raw: parseJson(text) }));
  const t1 = performance.now();
  const tasks = loadTasks(files);
  const t2 = performance.now();

  const source = nodePackSource(dir);
  const prompts = await loadPrompts(source);
  const [task] = (await loadScenarios(source, [`scenarios/${SAMPLES[2]}`])).values();
  if (!task) throw new Error('sample missing');
  const llm = new ScriptedTravelLlm();
  const judge = (o: object): string => JSON.stringify(o);
  const reply = judge({ thought: 't', response: 'I would rather keep costs low and travel light.' });
  const steps: [string, string[]][] = [
    ...task.dimensions.map((d): [string, string[]] => [`[search] ${d}`, [judge({ alignment_judgement: 'True', alignment_aspect: d })]]),
    ...task.preferences.map((p): [string, string[]] => [`[action] about ${p.aspect}?`, [judge({ type: '2', preference_id: p.id }), reply]]),
    ...task.bestIds.map((id): [string, string[]] => [`[answer] ${id}`, []]),
  ];
  const stepMs: number[] = [];
  for (let run = 0; run < 5; run++) {
    const gym = new TravelGym(task, { maxSteps: 40 }, llm.call, prompts);
    for (const [action, answers] of steps) {
      llm.load(answers);
      const s = performance.now();
      await gym.step(action);
      stepMs.push(performance.now() - s);
    }
  }
  return {
    'userbench.data_files_mib': round3(texts.reduce((n, t) => n + t.length, 0) / 2 ** 20),
    'userbench.scenarios': tasks.length,
    'userbench.parse_8_files_ms': round3(t1 - t0),
    'userbench.load_tasks_shuffles_ms': round3(t2 - t1),
    'userbench.gym_step_median_ms': round3(medianOrNull(stepMs) ?? NaN),
    'userbench.episode_steps': steps.length,
  };
}
