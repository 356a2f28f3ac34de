/**
 * Parity with the original Python TravelGym: tests/fixtures/userbench/parity.json
 * was recorded by make_parity_fixtures.py running upstream travelgym/ (commit
 * b05d86b) on the same scripted steps and LLM texts, the samples as processed
 * files and as upstream data files through load_tasks. Every result line must
 * match byte for byte (observations, rewards, termination, as json.dumps
 * writes them), and every prompt sent to the LLM must hash the same.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isDict, parseJson } from '../tau-bench/py.ts';
import { ScriptedTravelLlm } from './llm.ts';
import { UPSTREAM_DATA_FILES, loadPrompts, loadScenarios } from './pack.ts';
import { defaultUserBenchDir, nodePackSource } from './pack-node.ts';
import type { UserBenchPrompts } from './prompts.ts';
import { replayLine, replaySteps } from './replay.ts';
import { loadTasks, type TravelTask } from './task.ts';
import { parityFixture as fixture } from '../../../../tests/fixtures/userbench/parity.ts';

const dir = defaultUserBenchDir();
let prompts: UserBenchPrompts;
const tasks = new Map<string, TravelTask>();

beforeAll(async () => {
  const source = nodePackSource(dir);
  prompts = await loadPrompts(source);
  for (const r of fixture.records) {
    if (tasks.has(r.scenario)) continue;
    const [task] = (await loadScenarios(source, [`scenarios/${r.scenario}`])).values();
    if (task) tasks.set(r.scenario, task);
  }
});

/** The sample as the harness wrote it: travelgym_data_22.json = {id: raw entry}, the other seven {}; load_tasks. */
async function viaUpstreamFile(scenario: string, seed: number | null): Promise<TravelTask> {
  const raw = parseJson(await readFile(resolve(dir, 'scenarios', scenario), 'utf8'));
  if (!isDict(raw)) throw new Error('sample is not an object');
  const files = UPSTREAM_DATA_FILES.map((file, i) => ({
    file,
    raw: i === 0 ? new Map([[String(raw.get('id')), raw.get('preferences') ?? null]]) : new Map(),
  }));
  const [task] = loadTasks(files, { numpySeed: seed ?? 42 });
  if (!task) throw new Error('no task');
  return task;
}

const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

describe('TravelGym replays the original Python env', () => {
  it('covers the three samples, both modes, and enough steps', () => {
    expect(new Set(fixture.records.map((r) => r.scenario)).size).toBe(3);
    expect(new Set(fixture.records.map((r) => r.mode))).toEqual(new Set(['async', 'sync']));
    expect(fixture.records.filter((r) => r.upstreamFile).length).toBe(9);
    expect(fixture.records.reduce((n, r) => n + r.steps.length, 0)).toBeGreaterThan(300);
  });

  it.each(fixture.records.map((r) => [`${r.scenario} ${r.script} ${r.mode}`, r] as const))('%s', async (_name, r) => {
    const task = r.upstreamFile ? await viaUpstreamFile(r.scenario, r.seed) : tasks.get(r.scenario);
    if (!task) throw new Error(`sample ${r.scenario} missing from ${dir}`);
    const llm = new ScriptedTravelLlm();
    const config = { mode: r.mode, oneChoicePerAspect: r.oneChoice, maxSteps: r.maxSteps, seed: r.seed ?? 0 };
    const result = await replaySteps(task, prompts, r.steps, config, llm);
    expect(replayLine(result)).toBe(r.line);
    const ours = llm.calls.map((c) => c.messages.map((m) => ({ role: m.role, sha256: sha(m.content) })));
    expect(ours).toEqual(r.prompts);
  });
});
