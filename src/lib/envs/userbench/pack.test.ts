import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors.ts';
import { cachedPackSource, type PackSource } from '../tau-bench/pack.ts';
import {
  UPSTREAM_DATA_FILES,
  USERBENCH_RAW_BASE,
  defaultUserBenchSource,
  indexFileFor,
  loadUserBenchPack,
  scenarioOf,
  upstreamDataSource,
} from './pack.ts';
import { defaultUserBenchDir, nodePackSource } from './pack-node.ts';

const dir = defaultUserBenchDir();
const SAMPLES = ['testtask272_flight_apartment.json', 'testtask733_rentalcar_restaurant.json', 'testtask2330_hotel_restaurant_flight.json'].map(
  (f) => `scenarios/${f}`,
);

/** The shared pack with some files replaced. */
function patched(overrides: Record<string, string | null>): PackSource {
  const base = nodePackSource(dir);
  return {
    describe: 'patched',
    readText: (path) => {
      const o = overrides[path];
      if (o === null) return Promise.reject(new Error('ENOENT'));
      return o !== undefined ? Promise.resolve(o) : base.readText(path);
    },
  };
}

describe('loadUserBenchPack from ../shared/userbench', () => {
  it.each([
    ['travel22', false, 101],
    ['travel33', true, 87],
    ['travel44', false, 67],
  ] as const)('%s (one choice %s): %i test rows, prompts and the tool', async (env, oneChoice, rows) => {
    const pack = await loadUserBenchPack(nodePackSource(dir), { env, oneChoice, scenarioFiles: SAMPLES });
    expect(pack.indexFile).toBe(indexFileFor(env, oneChoice));
    expect(pack.tasks).toHaveLength(rows);
    expect(pack.tasks.map((t) => t.index)).toEqual(pack.tasks.map((_, i) => i));
    const row = pack.tasks[0];
    if (!row) throw new Error('no rows');
    expect(row?.user).toMatch(/Also my budget is limited/);
    expect(row?.system).toMatch(/interact_with_env/);
    expect(row?.system.includes('only one option per aspect')).toBe(oneChoice);
    expect(row?.groundTruth.length).toBeGreaterThanOrEqual(2);
    expect(pack.tool.function.name).toBe('interact_with_env');
    expect(pack.prompts.judgeSearch.user).toContain('{agent_request}');
    expect(Object.keys(pack.optionSchemas).sort()).toEqual(['apartment', 'flight', 'hotel', 'rental_car', 'restaurant']);
    expect(pack.scenarios.size).toBe(3);
    // The test split shares no scenario with the samples.
    expect(() => scenarioOf(pack, row)).toThrow(/is in none of the loaded scenario files/);
  });

  it('the wrapped sample rows pick the variant, and their ground truth is each sample\'s best ids', async () => {
    for (const oneChoice of [false, true]) {
      const pack = await loadUserBenchPack(nodePackSource(dir), { oneChoice, indexFile: 'tasks/sample_scenarios_train_rows.json', scenarioFiles: SAMPLES });
      expect(pack.tasks).toHaveLength(3);
      for (const row of pack.tasks) {
        expect(row.sourceFile?.includes('_onechoice')).toBe(oneChoice);
        expect(row.groundTruth).toEqual(scenarioOf(pack, row).bestIds);
      }
    }
  });

  it('defaults to the eight upstream data files, read through the source', async () => {
    const asked: string[] = [];
    const source = patched({});
    const spy: PackSource = { describe: 'spy', readText: (p) => (asked.push(p), source.readText(p)) };
    await expect(loadUserBenchPack(spy)).rejects.toThrow(/travelgym\/data\/travelgym_data_22\.json: cannot read/);
    expect(asked.at(-1)).toBe(UPSTREAM_DATA_FILES[0]);
    expect(UPSTREAM_DATA_FILES.map((f) => /_(\d+)\.json$/.exec(f)?.[1])).toEqual(['22', '33', '44', '2222', '233', '334', '444', '333']);
  });
});

describe('bad pack files name the file and the field', () => {
  it.each([
    [{ 'prompts/judge_search_user.txt': 'no fields here' }, /prompts\/judge_search_user\.txt: the template has no \{agent_request\} field/],
    [{ 'prompts/response_natural_user.txt': '{conversation_history} {latest_utterance} {oops}' }, /response_natural_user\.txt: not a str\.format template/],
    [{ 'prompts/option_schemas.json': '{"flight": 3}' }, /option_schemas\.json: flight: /],
    [{ 'prompts/tools.json': '[{"type": "function", "function": {"name": "other", "parameters": {}}}]' }, /tools\.json: no tool named interact_with_env/],
    [{ 'tasks/travel22_multiturn_test.json': '[{"prompt": [], "reward_model": {}, "extra_info": {}}]' }, /travel22_multiturn_test\.json: \[0\]\.prompt/],
    [
      { 'tasks/travel22_multiturn_test.json': '[{"prompt": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}], "reward_model": {"id": "x", "ground_truth": "F2"}, "extra_info": {"index": 0}}]' },
      /\[0\]\.reward_model\.ground_truth: not a list of quoted ids/,
    ],
    [{ 'tasks/travel22_multiturn_test.json': '[1,' }, /travel22_multiturn_test\.json: invalid JSON/],
    [{ 'prompts/judge_prompt_system.txt': null }, /prompts\/judge_prompt_system\.txt: cannot read/],
  ])('%j', async (overrides, message) => {
    const err = await loadUserBenchPack(patched(overrides), { scenarioFiles: SAMPLES }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(String(err)).toMatch(message);
  });
});

describe('sources', () => {
  it('upstreamDataSource sends travelgym/ to the raw GitHub base and the rest to the pack', async () => {
    const urls: string[] = [];
    const fakeFetch = (url: string | URL | Request) => {
      urls.push(String(url));
      return Promise.resolve(new Response('{}'));
    };
    const { httpPackSource } = await import('../tau-bench/pack.ts');
    const source = upstreamDataSource(nodePackSource(dir), httpPackSource(USERBENCH_RAW_BASE, fakeFetch));
    expect(await source.readText(UPSTREAM_DATA_FILES[3] ?? '')).toBe('{}');
    expect(urls).toEqual([`${USERBENCH_RAW_BASE}travelgym/data/travelgym_data_2222.json`]);
    expect(USERBENCH_RAW_BASE).toMatch(/^https:\/\/raw\.githubusercontent\.com\/SalesforceAIResearch\/UserBench\/[0-9a-f]{40}\/$/);
    expect(await source.readText('prompts/judge_search_user.txt')).toBe(await readFile(resolve(dir, 'prompts/judge_search_user.txt'), 'utf8'));
  });

  it('defaultUserBenchSource: prompts and index from the app pack, data files from the pinned upstream commit', async () => {
    const urls: string[] = [];
    const fakeFetch = (url: string | URL | Request) => {
      urls.push(String(url));
      return Promise.resolve(new Response('{}'));
    };
    const source = defaultUserBenchSource('http://127.0.0.1:5173/userbench', fakeFetch);
    await source.readText('tasks/travel22_multiturn_test.json');
    await source.readText('travelgym/data/travelgym_data_44.json');
    expect(urls).toEqual([
      'http://127.0.0.1:5173/userbench/tasks/travel22_multiturn_test.json',
      `https://raw.githubusercontent.com/SalesforceAIResearch/UserBench/b05d86b718161acef28681b638e988e6808fe51a/travelgym/data/travelgym_data_44.json`,
    ]);
  });

  it('cachedPackSource answers from the cache once a file was read (offline afterwards)', async () => {
    // A Map-backed stand-in for the browser's CacheStorage (Node has none); Chromium runs the real one.
    const store = new Map<string, string>();
    const cacheDouble = {
      match: (k: string) => Promise.resolve(store.has(k) ? new Response(store.get(k)) : undefined),
      put: async (k: string, r: Response) => void store.set(k, await r.text()),
    };
    const storageDouble = { open: () => Promise.resolve(cacheDouble) } as unknown as CacheStorage;
    let online = true;
    const origin: PackSource = { describe: 'origin', readText: (p) => (online ? Promise.resolve(`text of ${p}`) : Promise.reject(new Error('offline'))) };
    const cached = cachedPackSource(origin, 'test', storageDouble);
    expect(await cached.readText('a.json')).toBe('text of a.json');
    online = false;
    expect(await cached.readText('a.json')).toBe('text of a.json');
    await expect(cached.readText('b.json')).rejects.toThrow(/offline/);
  });
});
