/**
 * Timings for `npm run bench`: loading the eight upstream data files at their
 * real size (synthesised from the three samples, since the files are not
 * shipped) and the gym's own cost per step with instant scripted LLM texts.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { median as medianOrNull } from '../../stats.ts';
import { deepCopy, dumps, isDict, parseJson, type PyDict } from '../tau-bench/py.ts';
import { TravelGym } from './gym.ts';
import { ScriptedTravelLlm } from './llm.ts';
import { DATA_SUFFIXES, loadPrompts, loadScenarios } from './pack.ts';
import { defaultUserBenchDir, nodePackSource } from './pack-node.ts';
import { loadTasks } from './task.ts';

const SAMPLES = ['testtask272_flight_apartment.json', 'testtask733_rentalcar_restaurant.json', 'testtask2330_hotel_restaurant_flight.json'];
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The eight upstream data files in load_tasks order, each with `perFile`
 * scenarios copied round-robin from the three samples' raw entries (120 a file
 * gives ~5 MiB each, ~40 MiB in all, as upstream's). `ids` names the first keys
 * of a file (say, the ids a task index asks for); the rest are `scenario-<n>-<k>`.
 */
export async function synthesizeDataFiles(
  dir: string = defaultUserBenchDir(),
  perFile = 120,
  ids: Partial<Record<(typeof DATA_SUFFIXES)[number], readonly string[]>> = {},
): Promise<{ suffix: (typeof DATA_SUFFIXES)[number]; text: string }[]> {
  const entries = await Promise.all(
    SAMPLES.map(async (f) => {
      const raw = parseJson(await readFile(resolve(dir, 'scenarios', f), 'utf8'));
      return isDict(raw) ? (raw.get('preferences') ?? null) : null;
    }),
  );
  return DATA_SUFFIXES.map((suffix) => {
    const file: PyDict = new Map();
    const named = ids[suffix] ?? [];
    for (let k = 0; k < Math.max(perFile, named.length); k++) file.set(named[k] ?? `scenario-${suffix}-${k}`, deepCopy(entries[k % entries.length] ?? null));
    return { suffix, text: dumps(file, 4) };
  });
}

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
